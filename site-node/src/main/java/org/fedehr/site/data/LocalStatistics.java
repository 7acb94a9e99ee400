package org.fedehr.site.data;

import java.util.List;
import java.util.TreeMap;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

/** A site's harmonisation statistics over its training rows (only aggregates; test rows never contribute). */
public final class LocalStatistics {
    private LocalStatistics() {
    }

    /**
     * NUMERIC and BINARY features give a {@link NumericSummary}, CATEGORICAL ones a {@link CategoricalSummary};
     * every dictionary feature has an entry, even with no training rows.
     */
    public static FeatureStatistics compute(FeatureDictionary dict, List<Row> trainRows) {
        TreeMap<String, NumericSummary> numeric = new TreeMap<>();
        TreeMap<String, CategoricalSummary> categorical = new TreeMap<>();
        List<Feature> features = dict.features();
        for (int f = 0; f < features.size(); f++) {
            Feature feature = features.get(f);
            if (feature.type().isNumber()) {
                long count = 0, missing = 0;
                double sum = 0, sumSquares = 0;
                for (Row r : trainRows) {
                    String v = r.value(f);
                    if (v == null) {
                        missing++;
                    } else {
                        double x = Double.parseDouble(v);
                        count++;
                        sum += x;
                        sumSquares += x * x;
                    }
                }
                numeric.put(feature.name(), new NumericSummary(count, sum, sumSquares, missing));
            } else {
                TreeMap<String, Long> counts = new TreeMap<>();
                long missing = 0;
                for (Row r : trainRows) {
                    String v = r.value(f);
                    if (v == null) missing++;
                    else counts.merge(v, 1L, Long::sum);
                }
                categorical.put(feature.name(), new CategoricalSummary(counts, missing));
            }
        }
        return new FeatureStatistics(trainRows.size(), numeric, categorical);
    }
}
