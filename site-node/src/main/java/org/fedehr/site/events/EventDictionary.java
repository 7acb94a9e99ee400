package org.fedehr.site.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedehr.site.data.ConfigReader;
import org.fedehr.site.data.DataConfigException;

/**
 * The federation-wide dictionary for longitudinal data ({@code configs/federations/<name>/dictionary.yaml}):
 * time-varying concepts (numeric, resampled onto the grid; or code sets, multi-hot over the window), static
 * concepts (numeric or categorical), the resampling grid and the label's number of classes. Every site of a
 * federation uses the same dictionary, so the layout of the resampled data is the same everywhere.
 *
 * <pre>
 * resampling: {window_hours: 48, bin_minutes: 60}
 * label_classes: 2
 * concepts:
 *   - {name: heart_rate, kind: numeric, unit: /min, min: 0, max: 300, aggregation: mean, max_gap_hours: 6}
 *   - {name: glucose, kind: numeric, unit: mg/dL, min: 5, max: 2000, molar_mass: 180.156}
 *   - {name: diagnoses, kind: code_set, min_count: 10}
 * statics:
 *   - {name: age, kind: numeric, unit: a, min: 0, max: 120}
 *   - {name: gender, kind: categorical, min_count: 10}
 * </pre>
 */
public record EventDictionary(List<Concept> series, List<Concept> codeSets, List<Concept> statics,
                              int windowMinutes, int binMinutes, int labelClasses) {

    public EventDictionary {
        series = List.copyOf(series);
        codeSets = List.copyOf(codeSets);
        statics = List.copyOf(statics);
        if (windowMinutes < 1) throw new IllegalArgumentException("windowMinutes must be >= 1, was " + windowMinutes);
        if (binMinutes < 1 || windowMinutes % binMinutes != 0)
            throw new IllegalArgumentException("binMinutes must divide windowMinutes " + windowMinutes + ", was " + binMinutes);
        if (labelClasses < 2) throw new IllegalArgumentException("labelClasses must be >= 2, was " + labelClasses);
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (List<Concept> l : List.of(series, codeSets, statics))
            for (Concept c : l) if (!names.add(c.name())) throw new IllegalArgumentException("concept " + c.name() + " is declared twice");
        for (Concept c : series) if (c.kind() != ConceptKind.NUMERIC)
            throw new IllegalArgumentException("series concept " + c.name() + " must be numeric");
        for (Concept c : codeSets) if (c.kind() != ConceptKind.CODE_SET)
            throw new IllegalArgumentException("concept " + c.name() + " must be a code set");
        for (Concept c : statics) if (c.kind() == ConceptKind.CODE_SET)
            throw new IllegalArgumentException("static " + c.name() + " must be numeric or categorical");
    }

    public int bins() {
        return windowMinutes / binMinutes;
    }

    /** Index of a time-varying numeric concept, -1 when absent. */
    public int seriesIndex(String name) {
        for (int i = 0; i < series.size(); i++) if (series.get(i).name().equals(name)) return i;
        return -1;
    }

    public int codeSetIndex(String name) {
        for (int i = 0; i < codeSets.size(); i++) if (codeSets.get(i).name().equals(name)) return i;
        return -1;
    }

    public int staticIndex(String name) {
        for (int i = 0; i < statics.size(); i++) if (statics.get(i).name().equals(name)) return i;
        return -1;
    }

    /** Statistic keys (see {@link EventStatistics}). */
    public static String seriesKey(String concept) {
        return "series:" + concept;
    }

    public static String staticKey(String concept) {
        return "static:" + concept;
    }

    public static String codeSetKey(String concept) {
        return "codes:" + concept;
    }

    private static final Set<String> TOP = Set.of("resampling", "label_classes", "concepts", "statics");
    private static final Set<String> CONCEPT_KEYS = Set.of("name", "kind", "unit", "min", "max", "aggregation",
            "max_gap_hours", "max_gap_minutes", "molar_mass", "min_count");

    /** Reads a dictionary file; errors name the file, line and key. */
    public static EventDictionary load(Path file) {
        ConfigReader r = ConfigReader.yaml(file);
        r.allowOnly(TOP);
        ConfigReader res = r.child("resampling");
        res.allowOnly(Set.of("window_hours", "bin_minutes"));
        int window = (int) Math.round(res.decimal("window_hours").orElseThrow(() -> res.error("window_hours", "missing (required)")) * 60);
        int bin = res.integer("bin_minutes").orElseThrow(() -> res.error("bin_minutes", "missing (required)"));
        if (bin < 1 || window < bin || window % bin != 0)
            throw res.error("bin_minutes", "must be >= 1 and divide window_hours × 60 = " + window);
        int classes = r.integer("label_classes").orElse(2);
        if (classes < 2) throw r.error("label_classes", "must be >= 2");
        List<Concept> series = new ArrayList<>(), codeSets = new ArrayList<>(), statics = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (ConfigReader c : r.children("concepts")) {
            Concept k = concept(c, false);
            if (seen.put(k.name(), c.path("name")) != null) throw c.error("name", "concept '" + k.name() + "' is declared twice");
            (k.kind() == ConceptKind.CODE_SET ? codeSets : series).add(k);
        }
        for (ConfigReader c : r.children("statics")) {
            Concept k = concept(c, true);
            if (seen.put(k.name(), c.path("name")) != null) throw c.error("name", "concept '" + k.name() + "' is declared twice");
            statics.add(k);
        }
        if (series.isEmpty() && codeSets.isEmpty()) throw r.error("concepts", "at least one concept is required");
        return new EventDictionary(series, codeSets, statics, window, bin, classes);
    }

    private static Concept concept(ConfigReader c, boolean isStatic) {
        c.allowOnly(CONCEPT_KEYS);
        String name = c.requiredString("name");
        if (name.contains(":")) throw c.error("name", "must not contain ':'");
        ConceptKind kind;
        try {
            kind = ConceptKind.parse(c.requiredString("kind"));
        } catch (IllegalArgumentException e) {
            throw c.error("kind", e.getMessage());
        }
        if (!isStatic && kind == ConceptKind.CATEGORICAL)
            throw c.error("kind", "categorical concepts are statics (declare them under statics:), or use code_set");
        if (isStatic && kind == ConceptKind.CODE_SET) throw c.error("kind", "code sets are time-varying (declare them under concepts:)");
        String unit = c.string("unit").map(String::trim).orElse(null);
        if (kind == ConceptKind.NUMERIC) {
            if (unit == null || unit.isEmpty()) throw c.error("unit", "missing (required for a numeric concept; UCUM, \"1\" when dimensionless)");
            String bad = UnitConverter.shared().validate(unit);
            if (bad != null) throw c.error("unit", "'" + unit + "' is not a valid UCUM unit (" + bad + ")");
        } else if (unit != null) throw c.error("unit", "only numeric concepts have a unit");
        double min = c.decimal("min").orElse(Double.NEGATIVE_INFINITY);
        double max = c.decimal("max").orElse(Double.POSITIVE_INFINITY);
        if (min > max) throw c.error("max", "must be >= min");
        Aggregation agg;
        try {
            agg = c.string("aggregation").map(Aggregation::parse).orElse(Aggregation.MEAN);
        } catch (IllegalArgumentException e) {
            throw c.error("aggregation", e.getMessage());
        }
        if (kind != ConceptKind.NUMERIC || isStatic) {
            if (c.has("aggregation")) throw c.error("aggregation", "only time-varying numeric concepts are aggregated per bin");
        }
        int gap;
        if (c.has("max_gap_minutes")) gap = c.integer("max_gap_minutes").orElse(0);
        else gap = (int) Math.round(c.decimal("max_gap_hours").orElse(0.0) * 60);
        if (gap < 0) throw c.error("max_gap_hours", "must be >= 0");
        double molar = c.decimal("molar_mass").orElse(Double.NaN);
        if (c.has("molar_mass") && !(molar > 0)) throw c.error("molar_mass", "must be > 0 (g/mol)");
        int minCount = c.integer("min_count").orElse(1);
        if (minCount < 1) throw c.error("min_count", "must be >= 1");
        try {
            return new Concept(name, kind, unit, min, max, agg, gap, molar, minCount);
        } catch (IllegalArgumentException e) {
            throw new DataConfigException(c.source() + ": " + c.path("name") + ": " + e.getMessage());
        }
    }
}
