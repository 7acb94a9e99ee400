package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quotes, doubled quotes inside quotes); no multi-line fields. */
final class CsvLine {
    private CsvLine() {
    }

    static String[] split(String line, char delimiter) {
        if (line.indexOf('"') < 0) {
            List<String> out = new ArrayList<>(16);
            int start = 0;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == delimiter) {
                    out.add(line.substring(start, i));
                    start = i + 1;
                }
            }
            out.add(line.substring(start));
            return out.toArray(new String[0]);
        }
        List<String> out = new ArrayList<>(16);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else quoted = false;
                } else cur.append(c);
            } else if (c == '"') quoted = true;
            else if (c == delimiter) {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
