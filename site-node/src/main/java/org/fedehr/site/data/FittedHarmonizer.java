package org.fedehr.site.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

/**
 * The harmonisation fitted on federation-wide statistics: identical at every site given the same dictionary and
 * global statistics, and used unchanged for training, evaluation and prediction.
 * <ul>
 *   <li>numeric/binary: {@code (x − mean) / std} with the global mean and sample std (std 0 → 1); when the feature
 *       has missing values federation-wide an indicator column {@code <name>__missing} follows, and a missing value
 *       becomes 0 (the mean) with indicator 1;</li>
 *   <li>categorical: one-hot over the values with global count ≥ {@code minCategoryCount}, sorted, named
 *       {@code <name>=<value>}, then {@code <name>=__other__} (rare values and values never seen at fit time) and,
 *       when missing federation-wide, {@code <name>=__missing__}.</li>
 * </ul>
 * A value missing at transform time for a feature that had no missing values at fit time is encoded as the mean
 * (numeric) or all-zero (categorical) and counted in {@link #unexpectedMissingCounts()}.
 */
public final class FittedHarmonizer {

    /** Global scaling of one numeric or binary feature. */
    public record Scaling(double mean, double std) {
        public Scaling {
            if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite, was " + mean);
            if (!(std > 0) || !Double.isFinite(std)) throw new IllegalArgumentException("std must be finite and > 0, was " + std);
        }
    }

    private sealed interface Encoding permits NumericEncoding, CategoricalEncoding {
    }

    private record NumericEncoding(String name, int column, Scaling scaling, int missingColumn) implements Encoding {
    }

    private record CategoricalEncoding(String name, Map<String, Integer> columns, Set<String> seen, int otherColumn,
                                       int missingColumn, List<String> vocabulary) implements Encoding {
    }

    private final FeatureDictionary dict;
    private final List<Encoding> encodings;
    private final List<String> featureNames;
    private final Map<String, LongAdder> unseen = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unexpectedMissing = new ConcurrentHashMap<>();

    private FittedHarmonizer(FeatureDictionary dict, List<Encoding> encodings, List<String> featureNames) {
        this.dict = dict;
        this.encodings = List.copyOf(encodings);
        this.featureNames = List.copyOf(featureNames);
    }

    /**
     * Fits the layout and scaling on federation-wide statistics.
     *
     * @throws IllegalArgumentException when the statistics lack a dictionary feature
     */
    public static FittedHarmonizer fit(FeatureDictionary dict, FeatureStatistics global) {
        if (dict == null) throw new IllegalArgumentException("dict must not be null");
        if (global == null) throw new IllegalArgumentException("global must not be null");
        List<Encoding> encodings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Feature f : dict.features()) {
            if (f.type().isNumber()) {
                NumericSummary s = global.numeric().get(f.name());
                if (s == null)
                    throw new IllegalArgumentException("global statistics have no numeric summary for feature '" + f.name() + "'");
                double std = s.sampleStd();
                Scaling scaling = new Scaling(s.mean(), std > 0 && Double.isFinite(std) ? std : 1.0);
                int column = names.size();
                names.add(f.name());
                int missingColumn = -1;
                if (s.missing() > 0) {
                    missingColumn = names.size();
                    names.add(f.name() + "__missing");
                }
                encodings.add(new NumericEncoding(f.name(), column, scaling, missingColumn));
            } else {
                CategoricalSummary s = global.categorical().get(f.name());
                if (s == null)
                    throw new IllegalArgumentException("global statistics have no categorical summary for feature '" + f.name() + "'");
                Map<String, Integer> columns = new HashMap<>();
                List<String> vocabulary = new ArrayList<>();
                for (Map.Entry<String, Long> e : new TreeMap<>(s.counts()).entrySet()) {
                    if (e.getValue() >= dict.minCategoryCount()) {
                        vocabulary.add(e.getKey());
                        columns.put(e.getKey(), names.size());
                        names.add(f.name() + "=" + e.getKey());
                    }
                }
                int other = names.size();
                names.add(f.name() + "=__other__");
                int missingColumn = -1;
                if (s.missing() > 0) {
                    missingColumn = names.size();
                    names.add(f.name() + "=__missing__");
                }
                encodings.add(new CategoricalEncoding(f.name(), Map.copyOf(columns), Set.copyOf(s.counts().keySet()), other,
                        missingColumn, List.copyOf(vocabulary)));
            }
        }
        return new FittedHarmonizer(dict, encodings, names);
    }

    /** Names of the model input columns, in order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Number of model input columns. */
    public int width() {
        return featureNames.size();
    }

    /** The global scaling of a numeric or binary feature. */
    public Scaling scaling(String feature) {
        for (Encoding e : encodings) if (e instanceof NumericEncoding n && n.name.equals(feature)) return n.scaling;
        throw new IllegalArgumentException("feature must be a numeric or binary dictionary feature, was '" + feature + "'");
    }

    /** The one-hot vocabulary (sorted, without {@code __other__}/{@code __missing__}) of a categorical feature. */
    public List<String> vocabulary(String feature) {
        for (Encoding e : encodings) if (e instanceof CategoricalEncoding c && c.name.equals(feature)) return c.vocabulary;
        throw new IllegalArgumentException("feature must be a categorical dictionary feature, was '" + feature + "'");
    }

    /** Per categorical feature: how many transformed values were never seen at fit time (encoded as {@code __other__}). */
    public Map<String, Long> unseenCategoryCounts() {
        return snapshot(unseen);
    }

    /** Per feature: how many transformed values were missing although the feature had no missing values at fit time. */
    public Map<String, Long> unexpectedMissingCounts() {
        return snapshot(unexpectedMissing);
    }

    /** Encodes one row; every output is finite. */
    public float[] transform(Row row) {
        if (row.size() != dict.size())
            throw new IllegalArgumentException("row must have " + dict.size() + " values (one per dictionary feature), had " + row.size());
        float[] out = new float[featureNames.size()];
        for (int f = 0; f < encodings.size(); f++) {
            String v = row.value(f);
            Encoding enc = encodings.get(f);
            if (enc instanceof NumericEncoding n) {
                if (v == null) {
                    out[n.column] = 0f;
                    if (n.missingColumn >= 0) out[n.missingColumn] = 1f;
                    else count(unexpectedMissing, n.name);
                } else {
                    float z = (float) ((Double.parseDouble(v) - n.scaling.mean()) / n.scaling.std());
                    if (!Float.isFinite(z))
                        throw new IllegalStateException("feature '" + n.name + "' (line " + row.line() + "): standardised value is not finite");
                    out[n.column] = z;
                }
            } else if (enc instanceof CategoricalEncoding c) {
                if (v == null) {
                    if (c.missingColumn >= 0) out[c.missingColumn] = 1f;
                    else count(unexpectedMissing, c.name);
                } else {
                    Integer col = c.columns.get(v);
                    if (col != null) {
                        out[col] = 1f;
                    } else {
                        out[c.otherColumn] = 1f;
                        if (!c.seen.contains(v)) count(unseen, c.name);
                    }
                }
            }
        }
        return out;
    }

    /** Encodes rows; one output row per input row. */
    public float[][] transform(List<Row> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) out[i] = transform(rows.get(i));
        return out;
    }

    /**
     * The survival times of the rows, in order, or {@code null} when the rows carry none (a binary label). All rows
     * must agree: either every row has a time or none has.
     */
    public static float[] times(List<Row> rows) {
        if (rows.isEmpty() || !rows.get(0).hasTime()) {
            for (Row r : rows) {
                if (r.hasTime()) throw new IllegalArgumentException("line " + r.line() + " has a survival time but line "
                        + rows.get(0).line() + " has none");
            }
            return null;
        }
        float[] out = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!r.hasTime()) throw new IllegalArgumentException("line " + r.line() + " has no survival time but line "
                    + rows.get(0).line() + " has one");
            out[i] = r.time();
        }
        return out;
    }

    /** The labels (0 or 1) of the rows, in order. */
    public static float[] labels(List<Row> rows) {
        float[] out = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) out[i] = rows.get(i).label();
        return out;
    }

    private static void count(Map<String, LongAdder> counter, String feature) {
        counter.computeIfAbsent(feature, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counter) {
        TreeMap<String, Long> out = new TreeMap<>();
        counter.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableMap(out);
    }
}
