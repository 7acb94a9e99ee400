package org.fedehr.simulations.synthea;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams one of Synthea's CSV files (header line, comma-separated, fields with commas in double quotes) row by
 * row; errors name the file, the line and the column.
 */
final class SyntheaCsv implements AutoCloseable {
    private final Path file;
    private final BufferedReader in;
    private final Map<String, Integer> columns = new HashMap<>();
    private String[] row;
    private long line;

    SyntheaCsv(Path file) throws IOException {
        this.file = file;
        if (!Files.isRegularFile(file)) throw new IOException(file + ": file not found");
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        String header = in.readLine();
        line = 1;
        if (header == null) throw new IOException(file + " line 1: empty file (expected a header line)");
        if (!header.isEmpty() && header.charAt(0) == '\uFEFF') header = header.substring(1);
        String[] h = split(header);
        for (int i = 0; i < h.length; i++) columns.put(h[i].trim(), i);
    }

    /** The 0-based index of a header column; fails naming the file when it is absent. */
    int column(String name) throws IOException {
        Integer i = columns.get(name);
        if (i == null) throw new IOException(file + " line 1: no column '" + name + "' in the header " + columns.keySet());
        return i;
    }

    /** Advances to the next non-empty row; false at the end. */
    boolean next() throws IOException {
        String l;
        do {
            l = in.readLine();
            if (l == null) return false;
            line++;
        } while (l.isEmpty());
        row = split(l);
        return true;
    }

    /** The field at {@code index} of the current row ("" when the row is short... which is an error). */
    String get(int index) throws IOException {
        if (index >= row.length)
            throw new IOException(file + " line " + line + ": has " + row.length + " fields, column " + (index + 1) + " is missing");
        return row[index];
    }

    long line() {
        return line;
    }

    Path file() {
        return file;
    }

    IOException error(int index, String problem) {
        String col = columns.entrySet().stream().filter(e -> e.getValue() == index).map(Map.Entry::getKey).findFirst().orElse("#" + index);
        return new IOException(file + " line " + line + ": " + col + ": " + problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    static String[] split(String l) {
        if (l.indexOf('"') < 0) {
            List<String> out = new ArrayList<>(16);
            int from = 0;
            for (int i = 0; i < l.length(); i++)
                if (l.charAt(i) == ',') {
                    out.add(l.substring(from, i));
                    from = i + 1;
                }
            out.add(l.substring(from));
            return out.toArray(new String[0]);
        }
        List<String> out = new ArrayList<>(16);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < l.length() && l.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else quoted = false;
                } else cur.append(c);
            } else if (c == '"' && cur.length() == 0) quoted = true;
            else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
