package org.fedehr.site.data;

import java.util.ArrayList;
import java.util.List;

/** Splits one delimited line into fields; supports double-quoted fields ("" is an escaped quote). */
final class Csv {
    private Csv() {
    }

    static String[] split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.toString().isBlank()) {
                cur.setLength(0);
                quoted = true;
            } else if (c == delimiter) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    /** Removes a trailing carriage return (CRLF files) and a leading byte-order mark. */
    static String clean(String line, boolean first) {
        String l = line;
        if (first && !l.isEmpty() && l.charAt(0) == '\uFEFF') l = l.substring(1);
        if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
        return l;
    }
}
