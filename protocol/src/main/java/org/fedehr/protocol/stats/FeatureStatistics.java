package org.fedehr.protocol.stats;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The statistics one site (or, once merged, the federation) contributes to harmonisation: the number of
 * training rows and per-feature aggregates. Merging is a plain sum, so it can be done by the coordinator or
 * under secure aggregation.
 */
public record FeatureStatistics(long rows,
                                SortedMap<String, NumericSummary> numeric,
                                SortedMap<String, CategoricalSummary> categorical) {

    public FeatureStatistics {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, was " + rows);
        numeric = Collections.unmodifiableSortedMap(new TreeMap<>(numeric == null ? new TreeMap<>() : numeric));
        categorical = Collections.unmodifiableSortedMap(new TreeMap<>(categorical == null ? new TreeMap<>() : categorical));
    }

    public FeatureStatistics plus(FeatureStatistics o) {
        TreeMap<String, NumericSummary> n = new TreeMap<>(numeric);
        o.numeric.forEach((k, v) -> n.merge(k, v, NumericSummary::plus));
        TreeMap<String, CategoricalSummary> c = new TreeMap<>(categorical);
        o.categorical.forEach((k, v) -> c.merge(k, v, CategoricalSummary::plus));
        return new FeatureStatistics(rows + o.rows, n, c);
    }

    /** Sum of all the given statistics (in the given order); an empty list gives zero rows. */
    public static FeatureStatistics merge(List<FeatureStatistics> parts) {
        FeatureStatistics acc = new FeatureStatistics(0, new TreeMap<>(), new TreeMap<>());
        for (FeatureStatistics p : parts) acc = acc.plus(p);
        return acc;
    }
}
