package org.fedehr.site.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads one site's data file into rows (parsing, validation, missing values) and applies the split. */
final class SiteDataReader {
    private final SiteDataConfig cfg;
    private final Path dataRoot;
    private final FeatureDictionary dict;
    private final Path file;
    private final String fileName;

    SiteDataReader(SiteDataConfig cfg, Path dataRoot, FeatureDictionary dict) {
        this.cfg = cfg;
        this.dataRoot = dataRoot;
        this.dict = dict;
        this.file = dataRoot.resolve(cfg.file());
        this.fileName = String.valueOf(file.getFileName());
    }

    /** A parsed row before the split. */
    private record Parsed(int line, String[] values, float label, float time, String key) {
        Row row() {
            return new Row(line, values, label, time);
        }
    }

    /** Thrown internally for a row-level problem; turned into a drop or a DataFormatException. */
    private static final class RowProblem extends Exception {
        final DataProblem problem;
        final String column;
        final String detail;

        RowProblem(DataProblem problem, String column, String detail) {
            super(null, null, false, false);
            this.problem = problem;
            this.column = column;
            this.detail = detail;
        }
    }

    SiteData read() {
        List<String> lines = readLines(file, fileName);
        int first = cfg.header() ? 1 : 0;   // 0-based index of the first data line
        int[] featureIndex = new int[dict.size()];
        int labelIndex;
        int timeIndex = -1;   // survival time column, when the label has one
        int keyIndex = -1;    // data column matched against the split file's keys, for a split by key
        String timeColumn = cfg.label().timeColumn();
        String keyColumn = cfg.split() instanceof SplitSpec.FromFile f && f.byKey() ? f.dataKey() : null;
        int expectedFields;
        if (cfg.header()) {
            if (lines.isEmpty()) throw new DataFormatException(fileName, 1, null, DataProblem.EMPTY_FILE, "file is empty (no header, no data rows)");
            String[] head = Csv.split(Csv.clean(lines.get(0), true), cfg.delimiter());
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < head.length; i++) byName.putIfAbsent(head[i].trim(), i);
            for (int f = 0; f < dict.size(); f++) featureIndex[f] = resolve(column(dict.features().get(f).name()), byName);
            labelIndex = resolve(column(cfg.label().column()), byName);
            if (timeColumn != null) timeIndex = resolve(column(timeColumn), byName);
            if (keyColumn != null) keyIndex = resolve(column(keyColumn), byName);
            expectedFields = head.length;
        } else {
            for (int f = 0; f < dict.size(); f++) featureIndex[f] = column(dict.features().get(f).name()).index();
            labelIndex = column(cfg.label().column()).index();
            if (timeColumn != null) timeIndex = column(timeColumn).index();
            if (keyColumn != null) keyIndex = column(keyColumn).index();
            expectedFields = -1;
        }
        int firstData = -1;
        for (int i = first; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                firstData = i;
                break;
            }
        }
        if (firstData < 0)
            throw new DataFormatException(fileName, first + 1, null, DataProblem.EMPTY_FILE, "file has no data rows");
        if (expectedFields < 0) {
            expectedFields = Csv.split(Csv.clean(lines.get(firstData), firstData == 0), cfg.delimiter()).length;
            for (ColumnSpec c : usedColumns()) {
                if (c.index() >= expectedFields)
                    throw new DataFormatException(fileName, firstData + 1, c.name(), DataProblem.WRONG_FIELD_COUNT,
                            "first data row has " + expectedFields + " fields but the column is configured at index " + c.index());
            }
        }

        long blank = 0;
        EnumMap<DataProblem, Long> dropped = new EnumMap<>(DataProblem.class);
        List<Parsed> parsed = new ArrayList<>();
        boolean[] isDataRow = new boolean[lines.size() + 2];
        for (int i = first; i < lines.size(); i++) {
            String text = Csv.clean(lines.get(i), i == 0);
            int lineNo = i + 1;
            if (text.isBlank()) {
                blank++;
                continue;
            }
            isDataRow[lineNo] = true;
            try {
                parsed.add(parse(lineNo, Csv.split(text, cfg.delimiter()), expectedFields, featureIndex, labelIndex, timeIndex, keyIndex));
            } catch (RowProblem p) {
                if (cfg.onInvalidRow() == InvalidRowPolicy.FAIL)
                    throw new DataFormatException(fileName, lineNo, p.column, p.problem, p.detail);
                dropped.merge(p.problem, 1L, Long::sum);
            }
        }
        long linesRead = lines.size() - first;

        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        long excluded = 0;
        if (cfg.split() instanceof SplitSpec.FromFile s && s.byKey()) {
            Map<String, Integer> keys = new HashMap<>();
            for (Parsed p : parsed) {
                Integer other = keys.putIfAbsent(p.key, p.line);
                if (other != null)
                    throw new DataFormatException(fileName, p.line, s.dataKey(), DataProblem.BAD_SPLIT,
                            "key also on line " + other + " (split keys must be unique)");
            }
            Map<String, Boolean> isTest = new SplitFile(s, dataRoot, cfg.siteId()).readKeys(keys, fileName);
            for (Parsed p : parsed) {
                Boolean t = isTest.get(p.key);
                if (t == null) excluded++;
                else (t ? test : train).add(p.row());
            }
        } else if (cfg.split() instanceof SplitSpec.FromFile s) {
            Map<Integer, Boolean> isTest = new SplitFile(s, dataRoot, cfg.siteId()).read(isDataRow, fileName);
            for (Parsed p : parsed) {
                Boolean t = isTest.get(p.line);
                if (t == null) excluded++;
                else (t ? test : train).add(p.row());
            }
        } else if (cfg.split() instanceof SplitSpec.Seeded s) {
            List<Row> all = parsed.stream().map(Parsed::row).toList();
            SeededSplit.apply(all, s, train, test);
        }

        TreeMap<String, Long> missing = new TreeMap<>();
        for (int f = 0; f < dict.size(); f++) {
            long n = 0;
            for (Row r : train) if (r.value(f) == null) n++;
            for (Row r : test) if (r.value(f) == null) n++;
            missing.put(dict.features().get(f).name(), n);
        }
        ReadReport report = new ReadReport(fileName, linesRead, blank, train.size() + test.size(), dropped, excluded,
                train.size(), test.size(), missing);
        return new SiteData(cfg.siteId(), train, test, report);
    }

    private Parsed parse(int lineNo, String[] fields, int expectedFields, int[] featureIndex, int labelIndex, int timeIndex,
                         int keyIndex) throws RowProblem {
        if (fields.length != expectedFields) {
            String absent = null;
            int lowest = Integer.MAX_VALUE;
            for (int f = 0; f < featureIndex.length; f++) {
                if (featureIndex[f] >= fields.length && featureIndex[f] < lowest) {
                    lowest = featureIndex[f];
                    absent = dict.features().get(f).name();
                }
            }
            if (labelIndex >= fields.length && labelIndex < lowest) absent = cfg.label().column();
            String detail = "row has " + fields.length + " fields, expected " + expectedFields
                    + (absent != null ? " (column '" + absent + "' is absent)" : "");
            throw new RowProblem(DataProblem.WRONG_FIELD_COUNT, absent, detail);
        }
        String[] values = new String[featureIndex.length];
        for (int f = 0; f < featureIndex.length; f++) {
            Feature feature = dict.features().get(f);
            values[f] = cell(fields[featureIndex[f]], column(feature.name()));
        }
        ColumnSpec labelColumn = column(cfg.label().column());
        String labelValue = cell(fields[labelIndex], labelColumn);
        if (labelValue == null) throw new RowProblem(DataProblem.MISSING_LABEL, labelColumn.name(), "label value is missing");
        float time = Float.NaN;
        if (timeIndex >= 0) {
            ColumnSpec timeCol = column(cfg.label().timeColumn());
            String t = cell(fields[timeIndex], timeCol);
            if (t == null) throw new RowProblem(DataProblem.MISSING_LABEL, timeCol.name(), "survival time is missing");
            time = Float.parseFloat(t);
            if (!(time >= 0) || Float.isInfinite(time))
                throw new RowProblem(DataProblem.MISSING_LABEL, timeCol.name(), "survival time is negative or not finite");
        }
        String key = null;
        if (keyIndex >= 0) {
            key = fields[keyIndex].trim();
            if (key.isEmpty()) throw new RowProblem(DataProblem.BAD_SPLIT, column(((SplitSpec.FromFile) cfg.split()).dataKey()).name(),
                    "split key is empty");
        }
        return new Parsed(lineNo, values, cfg.label().apply(Double.parseDouble(labelValue)), time, key);
    }

    /** Canonical value of one cell, or null when missing. */
    private String cell(String raw, ColumnSpec col) throws RowProblem {
        String t = raw.trim();
        if (cfg.missingMarkers().contains(t)) return null;
        String canonical = col.type().isNumber() ? Values.canonicalNumber(t).orElse(null) : Values.canonicalCategory(t);
        if (col.missingValues().contains(canonical == null ? t : canonical)) return null;
        if (canonical == null)
            throw new RowProblem(DataProblem.NOT_A_NUMBER, col.name(), "value is not a number (column type " + col.type().yamlName() + ")");
        if (col.type() == FeatureType.BINARY && !canonical.equals("0") && !canonical.equals("1"))
            throw new RowProblem(DataProblem.NOT_BINARY, col.name(), "binary value is not 0 or 1");
        return canonical;
    }

    private ColumnSpec column(String name) {
        return cfg.column(name).orElseThrow(() -> new IllegalStateException("no column '" + name + "'"));
    }

    private List<ColumnSpec> usedColumns() {
        List<ColumnSpec> out = new ArrayList<>();
        for (Feature f : dict.features()) out.add(column(f.name()));
        out.add(column(cfg.label().column()));
        if (cfg.label().timeColumn() != null) out.add(column(cfg.label().timeColumn()));
        if (cfg.split() instanceof SplitSpec.FromFile f && f.byKey()) out.add(column(f.dataKey()));
        return out;
    }

    private int resolve(ColumnSpec c, Map<String, Integer> byName) {
        if (c.index() != null) return c.index();
        Integer i = byName.get(c.header());
        if (i == null)
            throw new DataFormatException(fileName, 1, c.name(), DataProblem.BAD_HEADER,
                    "header has no column '" + c.header() + "' (" + cfg.columnKey(c.name()) + ".header in " + cfg.source() + ")");
        return i;
    }

    static List<String> readLines(Path path, String name) {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFormatException(name, 0, null, DataProblem.UNREADABLE, "cannot read file (" + why(e) + ")");
        }
    }

    /** The reason in words, never an exception class name (nor the path, which the message names already). */
    static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "file not found";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.charset.CharacterCodingException) return "not UTF-8 text";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() || m.contains(java.io.File.separator) ? "I/O error" : m;
    }
}
