package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a split file (CSV with header) into line → is-test for one site. */
final class SplitFile {
    private final SplitSpec.FromFile spec;
    private final Path path;
    private final String name;
    private final String siteId;

    SplitFile(SplitSpec.FromFile spec, Path dataRoot, String siteId) {
        this.spec = spec;
        this.path = dataRoot.resolve(spec.file());
        this.name = String.valueOf(path.getFileName());
        this.siteId = siteId;
    }

    /**
     * @param isDataRow  isDataRow[line] is true for each non-blank data line of the data file
     * @param dataFile   data file name, for messages
     * @return for each listed line, whether it is in the test set
     */
    Map<Integer, Boolean> read(boolean[] isDataRow, String dataFile) {
        List<String> lines = SiteDataReader.readLines(path, name);
        if (lines.isEmpty()) throw error(1, null, "split file is empty");
        String[] head = Csv.split(Csv.clean(lines.get(0), true), ',');
        int siteCol = spec.siteColumn() == null ? -1 : find(head, spec.siteColumn());
        int lineCol = find(head, spec.lineColumn());
        int setCol = find(head, spec.setColumn());
        Map<Integer, Boolean> out = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String text = Csv.clean(lines.get(i), false);
            if (text.isBlank()) continue;
            int lineNo = i + 1;
            String[] f = Csv.split(text, ',');
            if (f.length != head.length) throw error(lineNo, null, "row has " + f.length + " fields, expected " + head.length);
            if (siteCol >= 0 && !f[siteCol].trim().equals(spec.siteValue())) continue;
            int dataLine;
            try {
                dataLine = Integer.parseInt(f[lineCol].trim());
            } catch (NumberFormatException e) {
                throw error(lineNo, spec.lineColumn(), "not an integer line number");
            }
            if (dataLine < 1 || dataLine >= isDataRow.length || !isDataRow[dataLine])
                throw error(lineNo, spec.lineColumn(), "line " + dataLine + " is not a data row of " + dataFile);
            String set = f[setCol].trim().toLowerCase(Locale.ROOT);
            boolean test = switch (set) {
                case "train" -> false;
                case "test" -> true;
                default -> throw error(lineNo, spec.setColumn(), "expected train or test, found '" + f[setCol].trim() + "'");
            };
            if (out.put(dataLine, test) != null)
                throw error(lineNo, spec.lineColumn(), "line " + dataLine + " of " + dataFile + " is listed twice for this site");
        }
        if (out.isEmpty())
            throw error(1, spec.siteColumn(), "no rows for site '" + (spec.siteValue() == null ? siteId : spec.siteValue()) + "'");
        return out;
    }

    private int find(String[] head, String column) {
        for (int i = 0; i < head.length; i++) if (head[i].trim().equals(column)) return i;
        throw error(1, column, "header has no such column");
    }

    private DataFormatException error(int line, String column, String detail) {
        return new DataFormatException(name, line, column, DataProblem.BAD_SPLIT, detail);
    }
}
