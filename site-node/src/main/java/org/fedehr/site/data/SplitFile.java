package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a split file (CSV with header) into line → is-test (or key → is-test) for one site. */
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
        Map<Integer, Boolean> out = new HashMap<>();
        scan((lineNo, ref) -> {
            int dataLine;
            try {
                dataLine = Integer.parseInt(ref.trim());
            } catch (NumberFormatException e) {
                throw error(lineNo, spec.lineColumn(), "not an integer line number");
            }
            if (dataLine < 1 || dataLine >= isDataRow.length || !isDataRow[dataLine])
                throw error(lineNo, spec.lineColumn(), "line " + dataLine + " is not a data row of " + dataFile);
            return out.containsKey(dataLine) ? null : dataLine;
        }, out, spec.lineColumn(), dataFile);
        return out;
    }

    /**
     * For a split by key: each listed key of this site, whether it is in the test set.
     *
     * @param dataKeys the data file's keys (key → its line), for checking that every listed key exists
     */
    Map<String, Boolean> readKeys(Map<String, Integer> dataKeys, String dataFile) {
        Map<String, Boolean> out = new HashMap<>();
        scan((lineNo, ref) -> {
            String key = ref.trim();
            if (!dataKeys.containsKey(key))
                throw error(lineNo, spec.keyColumn(), "key is not in column '" + spec.dataKey() + "' of " + dataFile);
            return out.containsKey(key) ? null : key;
        }, out, spec.keyColumn(), dataFile);
        return out;
    }

    /** Maps a split row's reference (line or key) to the map key, or null when it was already listed. */
    private interface Ref<K> {
        K resolve(int lineNo, String ref);
    }

    private <K> void scan(Ref<K> ref, Map<K, Boolean> out, String refColumn, String dataFile) {
        List<String> lines = SiteDataReader.readLines(path, name);
        if (lines.isEmpty()) throw error(1, null, "split file is empty");
        String[] head = Csv.split(Csv.clean(lines.get(0), true), ',');
        int siteCol = spec.siteColumn() == null ? -1 : find(head, spec.siteColumn());
        int refCol = find(head, refColumn);
        int setCol = find(head, spec.setColumn());
        for (int i = 1; i < lines.size(); i++) {
            String text = Csv.clean(lines.get(i), false);
            if (text.isBlank()) continue;
            int lineNo = i + 1;
            String[] f = Csv.split(text, ',');
            if (f.length != head.length) throw error(lineNo, null, "row has " + f.length + " fields, expected " + head.length);
            if (siteCol >= 0 && !f[siteCol].trim().equals(spec.siteValue())) continue;
            String set = f[setCol].trim();
            boolean test;
            if (set.equalsIgnoreCase(spec.trainValue())) test = false;
            else if (set.equalsIgnoreCase(spec.testValue())) test = true;
            else if (spec.customSetValues()) continue;   // another site's row
            else throw error(lineNo, spec.setColumn(), "expected train or test, found '" + set + "'");
            K k = ref.resolve(lineNo, f[refCol]);
            if (k == null)
                throw error(lineNo, refColumn, (spec.byKey() ? "key" : "line " + f[refCol].trim() + " of " + dataFile)
                        + " is listed twice for this site");
            out.put(k, test);
        }
        if (out.isEmpty())
            throw error(1, spec.siteColumn() != null || !spec.customSetValues() ? spec.siteColumn() : spec.setColumn(), "no rows for site '"
                    + (spec.siteValue() != null ? spec.siteValue() : spec.customSetValues() ? spec.trainValue() + "/" + spec.testValue() : siteId) + "'");
    }

    private int find(String[] head, String column) {
        for (int i = 0; i < head.length; i++) if (head[i].trim().equals(column)) return i;
        throw error(1, column, "header has no such column");
    }

    private DataFormatException error(int line, String column, String detail) {
        return new DataFormatException(name, line, column, DataProblem.BAD_SPLIT, detail);
    }
}
