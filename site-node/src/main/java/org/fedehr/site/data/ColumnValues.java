package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw text of one column of a site's data file, by 1-based line: lets a simulation split one file into sites by
 * a column that is not a feature (e.g. a hospital id), for the rows the site's reader kept. Values are trimmed; they
 * are used as group keys only, never logged.
 */
public final class ColumnValues {
    private ColumnValues() {
    }

    /**
     * @param column a column of {@code cfg} ({@code data.columns[].name})
     * @return line → trimmed cell text, for every non-blank data line
     * @throws DataConfigException when the config has no such column
     * @throws DataFormatException when a line has too few fields for the column
     */
    public static Map<Integer, String> read(SiteDataConfig cfg, Path dataRoot, String column) {
        ColumnSpec col = cfg.column(column).orElseThrow(() -> new DataConfigException(cfg.source() + ": no column '" + column
                + "' in data.columns (give the column a name, index or header, and type there)"));
        Path file = dataRoot.resolve(cfg.file());
        String name = String.valueOf(file.getFileName());
        List<String> lines = SiteDataReader.readLines(file, name);
        int index;
        int first = cfg.header() ? 1 : 0;
        if (col.index() != null) {
            index = col.index();
        } else {
            if (lines.isEmpty()) throw new DataFormatException(name, 1, column, DataProblem.EMPTY_FILE, "file is empty");
            String[] head = Csv.split(Csv.clean(lines.get(0), true), cfg.delimiter());
            index = -1;
            for (int i = 0; i < head.length && index < 0; i++) if (head[i].trim().equals(col.header())) index = i;
            if (index < 0) throw new DataFormatException(name, 1, column, DataProblem.BAD_HEADER, "header has no column '" + col.header() + "'");
        }
        Map<Integer, String> out = new HashMap<>();
        for (int i = first; i < lines.size(); i++) {
            String text = Csv.clean(lines.get(i), i == 0);
            if (text.isBlank()) continue;
            String[] fields = Csv.split(text, cfg.delimiter());
            if (index >= fields.length)
                throw new DataFormatException(name, i + 1, column, DataProblem.WRONG_FIELD_COUNT, "row has " + fields.length
                        + " fields, the column is at index " + index);
            out.put(i + 1, fields[index].trim());
        }
        return out;
    }
}
