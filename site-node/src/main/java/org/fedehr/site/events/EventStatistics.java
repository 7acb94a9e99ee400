package org.fedehr.site.events;

import java.util.TreeMap;
import java.util.TreeSet;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

/**
 * Accumulates a site's contribution to the federated statistics of longitudinal data, as a {@link FeatureStatistics}
 * (the same record every site sends and the coordinator merges, possibly under secure aggregation):
 * <ul>
 *   <li>{@code rows} = stays kept;</li>
 *   <li>numeric {@code series:<concept>}: count, sum and sum of squares of the concept's aggregated bin values
 *       (observed bins; every bin for a count concept), missing = unobserved bins — what standardisation needs;</li>
 *   <li>numeric {@code static:<concept>}: the numeric statics over stays (missing counted);</li>
 *   <li>categorical {@code static:<concept>}: stays per category; categorical {@code codes:<code set>}: stays in
 *       which each code occurs inside the window — what the vocabulary threshold k needs.</li>
 * </ul>
 * Only sums and counts: no value of a single stay is kept.
 */
public final class EventStatistics {
    private final EventDictionary dictionary;
    private final double[] count, sum, sumSq;
    private final long[] missing;
    private final double[] sCount, sSum, sSumSq;
    private final long[] sMissing;
    private final TreeMap<String, Long>[] categories;
    private final long[] catMissing;
    private final TreeMap<String, Long>[] codes;
    private long stays;

    @SuppressWarnings("unchecked")
    public EventStatistics(EventDictionary dictionary) {
        this.dictionary = dictionary;
        int v = dictionary.series().size(), s = dictionary.statics().size();
        count = new double[v];
        sum = new double[v];
        sumSq = new double[v];
        missing = new long[v];
        sCount = new double[s];
        sSum = new double[s];
        sSumSq = new double[s];
        sMissing = new long[s];
        categories = new TreeMap[s];
        catMissing = new long[s];
        for (int i = 0; i < s; i++) categories[i] = new TreeMap<>();
        codes = new TreeMap[dictionary.codeSets().size()];
        for (int i = 0; i < codes.length; i++) codes[i] = new TreeMap<>();
    }

    /** Adds one kept stay. */
    public void add(Resampler.Grid grid, StayEvents stay) {
        stays++;
        float[][] g = grid.values();
        for (int c = 0; c < count.length; c++) {
            Aggregation a = dictionary.series().get(c).aggregation();
            for (float[] row : g) {
                float x = row[c];
                if (a == Aggregation.COUNT || !Float.isNaN(x)) {
                    count[c]++;
                    sum[c] += x;
                    sumSq[c] += (double) x * x;
                } else missing[c]++;
            }
        }
        for (int i = 0; i < dictionary.statics().size(); i++) {
            if (dictionary.statics().get(i).kind() == ConceptKind.NUMERIC) {
                double x = stay.numericStatic(i);
                if (Double.isNaN(x)) sMissing[i]++;
                else {
                    sCount[i]++;
                    sSum[i] += x;
                    sSumSq[i] += x * x;
                }
            } else {
                String cat = stay.categoricalStatic(i);
                if (cat == null) catMissing[i]++;
                else categories[i].merge(cat, 1L, Long::sum);
            }
        }
        for (int s = 0; s < codes.length; s++) {
            TreeSet<String> in = grid.codes().get(s);
            for (String code : in) codes[s].merge(code, 1L, Long::sum);
        }
    }

    public long stays() {
        return stays;
    }

    public FeatureStatistics toStatistics() {
        TreeMap<String, NumericSummary> num = new TreeMap<>();
        TreeMap<String, CategoricalSummary> cat = new TreeMap<>();
        for (int c = 0; c < count.length; c++)
            num.put(EventDictionary.seriesKey(dictionary.series().get(c).name()),
                    new NumericSummary((long) count[c], sum[c], Math.max(0, sumSq[c]), missing[c]));
        for (int i = 0; i < dictionary.statics().size(); i++) {
            String key = EventDictionary.staticKey(dictionary.statics().get(i).name());
            if (dictionary.statics().get(i).kind() == ConceptKind.NUMERIC)
                num.put(key, new NumericSummary((long) sCount[i], sSum[i], Math.max(0, sSumSq[i]), sMissing[i]));
            else cat.put(key, new CategoricalSummary(categories[i], catMissing[i]));
        }
        for (int s = 0; s < codes.length; s++)
            cat.put(EventDictionary.codeSetKey(dictionary.codeSets().get(s).name()), new CategoricalSummary(codes[s], 0));
        return new FeatureStatistics(stays, num, cat);
    }
}
