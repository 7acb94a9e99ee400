package org.fedehr.protocol.stats;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Counts per category value of one categorical feature, plus the number of rows where it was missing. */
public record CategoricalSummary(SortedMap<String, Long> counts, long missing) {

    public static final CategoricalSummary EMPTY = new CategoricalSummary(new TreeMap<>(), 0);

    public CategoricalSummary {
        if (counts == null) throw new IllegalArgumentException("counts must not be null");
        if (missing < 0) throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0)
                throw new IllegalArgumentException("count of category '" + e.getKey() + "' must be >= 0, was " + e.getValue());
        }
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }

    public CategoricalSummary plus(CategoricalSummary o) {
        TreeMap<String, Long> merged = new TreeMap<>(counts);
        o.counts.forEach((k, v) -> merged.merge(k, v, Long::sum));
        return new CategoricalSummary(merged, missing + o.missing);
    }

    public CategoricalSummary with(String value) {
        TreeMap<String, Long> merged = new TreeMap<>(counts);
        merged.merge(value, 1L, Long::sum);
        return new CategoricalSummary(merged, missing);
    }

    public CategoricalSummary withMissing() {
        return new CategoricalSummary(counts, missing + 1);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
