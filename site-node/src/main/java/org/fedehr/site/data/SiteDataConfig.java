package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.configuration2.HierarchicalConfiguration;

/**
 * How one site reads its data: which file, how it is delimited, which values mean "missing", which columns map to
 * which dictionary features, the label rule and the train/test split. Paths ({@code file}, split {@code file}) are
 * kept as written and resolved against the data root when the data is loaded.
 *
 * @param source       where this config came from, used as the prefix of error messages (e.g. {@code site.yaml})
 * @param siteId       {@code site.id}
 * @param file         {@code data.file}, relative to the data root or absolute
 * @param header       {@code data.header}: the first line is a header and columns may be referenced by name
 * @param delimiter    {@code data.delimiter}, one character
 * @param missingMarkers {@code data.missing_markers}: cell texts (trimmed) meaning "missing" in every column
 * @param onInvalidRow {@code data.on_invalid_row}
 * @param columns      {@code data.columns}, in config order
 * @param label        {@code data.label}
 * @param split        {@code split}
 */
public record SiteDataConfig(String source, String siteId, String file, boolean header, char delimiter,
                             Set<String> missingMarkers, InvalidRowPolicy onInvalidRow, List<ColumnSpec> columns,
                             LabelRule label, SplitSpec split) {

    private static final Set<String> DATA_KEYS = Set.of("file", "format", "header", "delimiter", "missing_markers",
            "on_invalid_row", "columns", "label");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "index", "header", "type", "missing_values");
    private static final Set<String> LABEL_KEYS = Set.of("column", "positive_if", "time_column");
    private static final Set<String> SPLIT_KEYS = Set.of("file", "site_column", "site_value", "line_column", "set_column",
            "test_fraction", "seed", "stratify", "key_column", "data_key", "train_value", "test_value");

    public SiteDataConfig {
        if (source == null || source.isBlank()) throw new IllegalArgumentException("source must not be blank, was '" + source + "'");
        if (siteId == null || siteId.isBlank()) throw new IllegalArgumentException("siteId must not be blank, was '" + siteId + "'");
        if (file == null || file.isBlank()) throw new IllegalArgumentException("file must not be blank, was '" + file + "'");
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
            throw new IllegalArgumentException("delimiter must not be a quote or line break, was '" + delimiter + "'");
        if (onInvalidRow == null) throw new IllegalArgumentException("onInvalidRow must not be null");
        if (columns == null || columns.isEmpty()) throw new IllegalArgumentException("columns must not be empty, was " + columns);
        if (label == null) throw new IllegalArgumentException("label must not be null");
        if (split == null) throw new IllegalArgumentException("split must not be null");
        Set<String> markers = new LinkedHashSet<>();
        if (missingMarkers != null) for (String m : missingMarkers) markers.add(m == null ? "" : m.trim());
        missingMarkers = Set.copyOf(markers);
        columns = List.copyOf(columns);
        Set<String> names = new java.util.HashSet<>();
        for (ColumnSpec c : columns) {
            if (!names.add(c.name())) throw new IllegalArgumentException("columns: duplicate column name '" + c.name() + "'");
            if (!header && c.header() != null)
                throw new IllegalArgumentException("columns: column '" + c.name() + "' uses header '" + c.header() + "' but header is false");
        }
        ColumnSpec lc = columns.stream().filter(c -> c.name().equals(label.column())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("label column '" + label.column() + "' is not one of the columns"));
        if (!lc.type().isNumber())
            throw new IllegalArgumentException("label column '" + label.column() + "' must be numeric or binary, was " + lc.type().yamlName());
        if (label.timeColumn() != null) {
            ColumnSpec tc = columns.stream().filter(c -> c.name().equals(label.timeColumn())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("label time column '" + label.timeColumn() + "' is not one of the columns"));
            if (tc.type() != FeatureType.NUMERIC)
                throw new IllegalArgumentException("label time column '" + label.timeColumn() + "' must be numeric, was " + tc.type().yamlName());
        }
        if (split instanceof SplitSpec.FromFile f && f.byKey() && columns.stream().noneMatch(c -> c.name().equals(f.dataKey())))
            throw new IllegalArgumentException("split data_key '" + f.dataKey() + "' is not one of the columns");
    }

    /** Reads a site data config YAML file; messages name the file and the key. */
    public static SiteDataConfig load(Path yamlFile) {
        return fromConfiguration(ConfigReader.yaml(yamlFile));
    }

    /**
     * Reads the same keys ({@code site.id}, {@code data.*}, {@code split.*}) from a subtree of a larger configuration,
     * e.g. one site of a simulation scenario. {@code sourceName} prefixes every error message, e.g.
     * {@code "scenario.yaml: sites[2]"}.
     */
    public static SiteDataConfig fromConfiguration(HierarchicalConfiguration<?> config, String sourceName) {
        return fromConfiguration(new ConfigReader(config, sourceName, ""));
    }

    /** The column with this name, if configured. */
    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The config key of the column, for messages: {@code data.columns[3]}. */
    public String columnKey(String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return "data.columns[" + i + "]";
        return "data.columns";
    }

    private static SiteDataConfig fromConfiguration(ConfigReader root) {
        String siteId = root.requiredString("site.id");
        ConfigReader data = root.child("data");
        data.allowOnly(DATA_KEYS);
        String file = data.requiredString("file");
        String format = data.string("format").map(String::trim).orElse("csv");
        if (!format.equalsIgnoreCase("csv")) throw data.error("format", "unknown format '" + format + "' (expected csv)");
        boolean header = data.bool("header").orElse(false);
        String delim = data.string("delimiter").orElse(",");
        if (delim.length() != 1) throw data.error("delimiter", "expected exactly one character, found '" + delim + "'");
        char delimiter = delim.charAt(0);
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
            throw data.error("delimiter", "must not be a quote or line break");
        List<String> markers = data.strings("missing_markers").orElse(List.of(""));
        String policyText = data.string("on_invalid_row").map(String::trim).orElse("fail");
        InvalidRowPolicy policy = switch (policyText.toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> InvalidRowPolicy.FAIL;
            case "drop" -> InvalidRowPolicy.DROP;
            default -> throw data.error("on_invalid_row", "unknown policy '" + policyText + "' (expected fail|drop)");
        };

        List<ConfigReader> columnNodes = data.children("columns");
        if (columnNodes.isEmpty()) throw data.error("columns", "missing or empty (at least the label column is needed)");
        List<ColumnSpec> columns = new ArrayList<>();
        Map<String, String> seenNames = new HashMap<>();
        Map<String, String> seenLocations = new HashMap<>();
        for (int i = 0; i < columnNodes.size(); i++) {
            ConfigReader col = columnNodes.get(i);
            col.allowOnly(COLUMN_KEYS);
            String name = col.requiredString("name");
            if (name.contains("=") || name.contains("__")) throw col.error("name", "must not contain '=' or '__', found '" + name + "'");
            String sameName = seenNames.putIfAbsent(name, col.path("name"));
            if (sameName != null) throw col.error("name", "duplicate column name '" + name + "' (also at " + sameName + ")");
            String typeText = col.requiredString("type");
            FeatureType type = FeatureType.parse(typeText).orElseThrow(() ->
                    col.error("type", "unknown type '" + typeText + "' (expected numeric|binary|categorical)"));
            Integer index = col.integer("index").orElse(null);
            String headerName = col.string("header").map(String::trim).orElse(null);
            if (index != null && headerName != null) throw col.error("index", "give either index or header, not both");
            if (index == null && headerName == null)
                throw col.error("index", header ? "missing (give index or header)" : "missing (required: the file has no header)");
            if (headerName != null && !header) throw col.error("header", "data.header is false, so columns must be referenced by index");
            if (index != null && index < 0) throw col.error("index", "must be >= 0, found " + index);
            String location = index != null ? "#" + index : "header:" + headerName;
            String sameLocation = seenLocations.putIfAbsent(location, col.path(index != null ? "index" : "header"));
            if (sameLocation != null) throw col.error(index != null ? "index" : "header", "same file column as " + sameLocation);
            List<String> missing = col.strings("missing_values").orElse(List.of());
            columns.add(new ColumnSpec(name, index, headerName, type, Set.copyOf(new LinkedHashSet<>(missing))));
        }

        ConfigReader lab = data.child("label");
        lab.allowOnly(LABEL_KEYS);
        String labelColumn = lab.requiredString("column");
        ColumnSpec labelSpec = columns.stream().filter(c -> c.name().equals(labelColumn)).findFirst()
                .orElseThrow(() -> lab.error("column", "'" + labelColumn + "' is not one of data.columns"));
        if (!labelSpec.type().isNumber())
            throw lab.error("column", "label column '" + labelColumn + "' must be numeric or binary, is " + labelSpec.type().yamlName());
        LabelRule label;
        try {
            label = LabelRule.parse(labelColumn, lab.requiredString("positive_if"));
        } catch (IllegalArgumentException e) {
            throw lab.error("positive_if", e.getMessage());
        }

        if (lab.has("time_column")) {   // survival data: positive_if gives the event indicator, time_column the time
            String timeColumn = lab.requiredString("time_column").trim();
            ColumnSpec timeSpec = columns.stream().filter(c -> c.name().equals(timeColumn)).findFirst()
                    .orElseThrow(() -> lab.error("time_column", "'" + timeColumn + "' is not one of data.columns"));
            if (timeSpec.type() != FeatureType.NUMERIC)
                throw lab.error("time_column", "time column '" + timeColumn + "' must be numeric, is " + timeSpec.type().yamlName());
            if (timeColumn.equals(labelColumn)) throw lab.error("time_column", "must differ from the event column '" + labelColumn + "'");
            label = label.withTimeColumn(timeColumn);
        }

        SplitSpec split = readSplit(root.child("split"), siteId);
        try {
            return new SiteDataConfig(root.source(), siteId, file, header, delimiter, new LinkedHashSet<>(markers), policy,
                    columns, label, split);
        } catch (IllegalArgumentException e) {
            throw new DataConfigException(root.source() + ": " + e.getMessage(), e);
        }
    }

    private static SplitSpec readSplit(ConfigReader s, String siteId) {
        s.allowOnly(SPLIT_KEYS);
        boolean byFile = s.has("file");
        boolean seeded = s.has("test_fraction") || s.has("seed") || s.has("stratify");
        if (byFile && seeded) throw s.error("file", "give either a split file or test_fraction/seed/stratify, not both");
        if (byFile) {
            for (String k : List.of("site_value")) {
                if (s.has(k) && !s.has("site_column")) throw s.error(k, "needs site_column");
            }
            String siteColumn = s.string("site_column").map(String::trim).orElse(null);
            String siteValue = siteColumn == null ? null : s.string("site_value").map(String::trim).orElse(siteId);
            boolean byKey = s.has("key_column") || s.has("data_key");
            if (byKey && s.has("line_column")) throw s.error("key_column", "give either line_column or key_column/data_key, not both");
            String lineColumn = byKey ? null : s.requiredString("line_column");
            String keyColumn = byKey ? s.requiredString("key_column").trim() : null;
            String dataKey = byKey ? s.requiredString("data_key").trim() : null;
            String trainValue = s.string("train_value").map(String::trim).orElse(SplitSpec.FromFile.DEFAULT_TRAIN);
            String testValue = s.string("test_value").map(String::trim).orElse(SplitSpec.FromFile.DEFAULT_TEST);
            if (trainValue.isEmpty() || trainValue.equalsIgnoreCase(testValue))
                throw s.error("train_value", "train_value and test_value must be distinct and not empty");
            return new SplitSpec.FromFile(s.requiredString("file"), siteColumn, siteValue, lineColumn, s.requiredString("set_column"),
                    keyColumn, dataKey, trainValue, testValue);
        }
        if (!seeded) throw s.error("file", "missing: give a split file or test_fraction and seed");
        double fraction = s.decimal("test_fraction").orElseThrow(() -> s.error("test_fraction", "missing (required for a seeded split)"));
        if (!(fraction > 0 && fraction < 1)) throw s.error("test_fraction", "must be between 0 and 1 (exclusive), found " + fraction);
        long seed = s.longValue("seed").orElseThrow(() -> s.error("seed", "missing (required: splits are never unseeded)"));
        boolean stratify = s.bool("stratify").orElse(true);
        return new SplitSpec.Seeded(fraction, seed, stratify);
    }
}
