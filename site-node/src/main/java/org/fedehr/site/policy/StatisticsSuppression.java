package org.fedehr.site.policy;

import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

import java.util.TreeMap;

/**
 * Small-cell suppression of released statistics: a category seen at this site fewer than {@code min} times is not
 * released (its rows are counted as missing instead, so counts still add up to the rows, and the federation's
 * harmoniser treats such values as rare); a numeric feature observed fewer than {@code min} times is released as
 * all-missing (no count, sum or sum of squares). A reply whose row count itself is below the minimum is never built:
 * the policy refuses the instruction first ("cohort below minimum").
 */
public final class StatisticsSuppression {
    private StatisticsSuppression() {
    }

    public static FeatureStatistics suppress(FeatureStatistics s, int min) {
        if (min <= 1) return s;
        TreeMap<String, NumericSummary> numeric = new TreeMap<>();
        s.numeric().forEach((name, n) -> numeric.put(name, n.count() > 0 && n.count() < min
                ? new NumericSummary(0, 0.0, 0.0, n.missing() + n.count()) : n));
        TreeMap<String, CategoricalSummary> categorical = new TreeMap<>();
        s.categorical().forEach((name, c) -> {
            TreeMap<String, Long> kept = new TreeMap<>();
            long moved = 0;
            for (var e : c.counts().entrySet()) {
                if (e.getValue() > 0 && e.getValue() < min) moved += e.getValue();
                else kept.put(e.getKey(), e.getValue());
            }
            categorical.put(name, moved == 0 ? c : new CategoricalSummary(kept, c.missing() + moved));
        });
        return new FeatureStatistics(s.rows(), numeric, categorical);
    }

    /** How many cells (categories or numeric features) {@link #suppress} withholds. */
    public static int suppressedCells(FeatureStatistics s, int min) {
        if (min <= 1) return 0;
        int n = 0;
        for (NumericSummary v : s.numeric().values()) if (v.count() > 0 && v.count() < min) n++;
        for (CategoricalSummary c : s.categorical().values())
            for (long v : c.counts().values()) if (v > 0 && v < min) n++;
        return n;
    }
}
