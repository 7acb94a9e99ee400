package org.fedehr.site.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedehr.models.SequenceData;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

/**
 * A {@link SequenceSite} over stays already aggregated onto the grid ({@link BinnedStay}), with a seeded stratified
 * train/test split. Harmonisation, given the federation's merged statistics:
 * <ul>
 *   <li><b>sequence</b>, {@code [steps][3V]} for V concepts: channels {@code [0, V)} the standardised value
 *       {@code (x − μ)/σ} with the federated μ, σ of the concept's observed bin values, clipped to ±{@value #CLIP},
 *       carried forward from the last observed bin (0, the global mean, before the first observation); channels
 *       {@code [V, 2V)} the observation mask (1 in a bin with an observation); channels {@code [2V, 3V)} the time
 *       since the last observation in bins divided by {@code steps} ({@code (t + 1)/steps} before the first);</li>
 *   <li><b>statics</b>, {@code 2S} values: per attribute its standardised value (0 when missing) then a missing
 *       indicator;</li>
 *   <li><b>summary</b> per stay, {@code 5V + 2S} values: per concept, over its observed bins, the mean, minimum,
 *       maximum and last standardised value and the fraction of the stay's bins observed (all 0 when never observed),
 *       then the statics.</li>
 * </ul>
 * Statistics sent: {@code series:<concept>} (count, sum and sum of squares of the observed bin values of the training
 * stays; missing = unobserved bins) and {@code static:<attribute>} (over training stays; missing counted).
 */
public final class BinnedSequenceSite implements SequenceSite {
    /** Standardised values are clipped to this many global standard deviations. */
    public static final double CLIP = 6.0;

    private final List<String> concepts;
    private final List<String> staticNames;
    private final int steps;
    private final List<BinnedStay> train;
    private final List<BinnedStay> test;

    /**
     * @param stays        the site's stays, every one with {@code steps} bins of {@code concepts.size()} values and
     *                     {@code staticNames.size()} statics
     * @param testFraction fraction of each label class held out for testing, in [0, 1)
     * @param seed         seed of the stratified split
     */
    public BinnedSequenceSite(List<String> concepts, List<String> staticNames, int steps, List<BinnedStay> stays,
                              double testFraction, long seed) {
        if (concepts == null || concepts.isEmpty()) throw new IllegalArgumentException("concepts must not be empty");
        if (staticNames == null) throw new IllegalArgumentException("staticNames must not be null");
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (!(testFraction >= 0 && testFraction < 1))
            throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
        this.concepts = List.copyOf(concepts);
        this.staticNames = List.copyOf(staticNames);
        this.steps = steps;
        for (BinnedStay s : stays) {
            if (s.bins().length != steps)
                throw new IllegalArgumentException("stay " + s.stayId() + " has " + s.bins().length + " bins, expected " + steps);
            for (double[] b : s.bins())
                if (b.length != concepts.size())
                    throw new IllegalArgumentException("stay " + s.stayId() + " has a bin of " + b.length + " concepts, expected "
                            + concepts.size());
            if (s.statics().length != staticNames.size())
                throw new IllegalArgumentException("stay " + s.stayId() + " has " + s.statics().length + " statics, expected "
                        + staticNames.size());
        }
        // stratified: each label class shuffled with its own seeded order, the first round(f * n_class) held out
        TreeMap<Integer, List<BinnedStay>> byLabel = new TreeMap<>();
        for (BinnedStay s : stays) byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
        SplittableRandom rng = new SplittableRandom(seed);
        List<BinnedStay> tr = new ArrayList<>(), te = new ArrayList<>();
        for (List<BinnedStay> group : byLabel.values()) {
            List<BinnedStay> g = new ArrayList<>(group);
            for (int i = g.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                BinnedStay t = g.get(i);
                g.set(i, g.get(j));
                g.set(j, t);
            }
            int nTest = (int) Math.round(g.size() * testFraction);
            te.addAll(g.subList(0, nTest));
            tr.addAll(g.subList(nTest, g.size()));
        }
        this.train = List.copyOf(tr);
        this.test = List.copyOf(te);
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public int testSize() {
        return test.size();
    }

    /** The layout of every site with these concepts, statics and steps (it does not depend on the statistics). */
    public static Layout layout(int concepts, int statics, int steps) {
        return new Layout(3 * concepts, 2 * statics, 5 * concepts + 2 * statics, steps);
    }

    @Override
    public Set<String> statisticNames() {
        Set<String> names = new TreeSet<>();
        for (String c : concepts) names.add(seriesKey(c));
        for (String s : staticNames) names.add(staticKey(s));
        return names;
    }

    @Override
    public int valuesPerStay(String statistic) {
        return statistic.startsWith("series:") ? steps : 1;
    }

    public static String seriesKey(String concept) {
        return "series:" + concept;
    }

    public static String staticKey(String attribute) {
        return "static:" + attribute;
    }

    @Override
    public FeatureStatistics statistics() {
        int v = concepts.size(), s = staticNames.size();
        NumericSummary[] series = new NumericSummary[v];
        NumericSummary[] stat = new NumericSummary[s];
        java.util.Arrays.fill(series, NumericSummary.EMPTY);
        java.util.Arrays.fill(stat, NumericSummary.EMPTY);
        double[] count = new double[v], sum = new double[v], sq = new double[v];
        long[] missing = new long[v];
        for (BinnedStay stay : train) {
            for (int t = 0; t < stay.length(); t++) {
                double[] b = stay.bins()[t];
                for (int k = 0; k < v; k++) {
                    if (Double.isNaN(b[k])) {
                        missing[k]++;
                    } else {
                        count[k]++;
                        sum[k] += b[k];
                        sq[k] += b[k] * b[k];
                    }
                }
            }
            for (int j = 0; j < s; j++) {
                double x = stay.statics()[j];
                stat[j] = Double.isNaN(x) ? stat[j].withMissing() : stat[j].with(x);
            }
        }
        TreeMap<String, NumericSummary> numeric = new TreeMap<>();
        for (int k = 0; k < v; k++) numeric.put(seriesKey(concepts.get(k)), new NumericSummary((long) count[k], sum[k], sq[k], missing[k]));
        for (int j = 0; j < s; j++) numeric.put(staticKey(staticNames.get(j)), stat[j]);
        return new FeatureStatistics(train.size(), numeric, new TreeMap<>());
    }

    @Override
    public HarmonisedSequences harmonise(FeatureStatistics merged) {
        int v = concepts.size(), s = staticNames.size();
        double[] mu = new double[v], sd = new double[v], smu = new double[s], ssd = new double[s];
        for (int k = 0; k < v; k++) {
            NumericSummary n = merged.numeric().getOrDefault(seriesKey(concepts.get(k)), NumericSummary.EMPTY);
            mu[k] = n.mean();
            sd[k] = n.sampleStd() > 0 ? n.sampleStd() : 1.0;
        }
        for (int j = 0; j < s; j++) {
            NumericSummary n = merged.numeric().getOrDefault(staticKey(staticNames.get(j)), NumericSummary.EMPTY);
            smu[j] = n.mean();
            ssd[j] = n.sampleStd() > 0 ? n.sampleStd() : 1.0;
        }
        Layout layout = layout(v, s, steps);
        Split tr = transform(train, mu, sd, smu, ssd, layout);
        Split te = transform(test, mu, sd, smu, ssd, layout);
        return new HarmonisedSequences(layout, tr.data, te.data, tr.summaries, te.summaries);
    }

    private record Split(SequenceData data, float[][] summaries) {
    }

    private Split transform(List<BinnedStay> stays, double[] mu, double[] sd, double[] smu, double[] ssd, Layout layout) {
        int n = stays.size(), v = concepts.size(), s = staticNames.size();
        float[][][] x = new float[n][][];
        int[] lengths = new int[n];
        float[][] statics = new float[n][];
        float[] y = new float[n];
        float[][] summaries = new float[n][];
        for (int i = 0; i < n; i++) {
            BinnedStay stay = stays.get(i);
            float[][] seq = new float[steps][3 * v];
            float[] summary = new float[layout.summaries()];
            for (int k = 0; k < v; k++) {
                double last = 0, mean = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                int lastT = -1, observed = 0;
                for (int t = 0; t < steps; t++) {
                    double raw = t < stay.length() ? stay.bins()[t][k] : Double.NaN;
                    if (!Double.isNaN(raw)) {
                        double z = Math.max(-CLIP, Math.min(CLIP, (raw - mu[k]) / sd[k]));
                        last = z;
                        lastT = t;
                        seq[t][v + k] = 1f;
                        mean += z;
                        min = Math.min(min, z);
                        max = Math.max(max, z);
                        observed++;
                    }
                    seq[t][k] = lastT >= 0 ? (float) last : 0f;
                    seq[t][2 * v + k] = (float) (lastT >= 0 ? t - lastT : t + 1) / steps;
                }
                if (observed > 0) {
                    summary[5 * k] = (float) (mean / observed);
                    summary[5 * k + 1] = (float) min;
                    summary[5 * k + 2] = (float) max;
                    summary[5 * k + 3] = (float) last;
                    summary[5 * k + 4] = (float) observed / stay.length();
                }
            }
            float[] st = new float[2 * s];
            for (int j = 0; j < s; j++) {
                double raw = stay.statics()[j];
                if (Double.isNaN(raw)) {
                    st[2 * j + 1] = 1f;
                } else {
                    st[2 * j] = (float) Math.max(-CLIP, Math.min(CLIP, (raw - smu[j]) / ssd[j]));
                }
            }
            System.arraycopy(st, 0, summary, 5 * v, 2 * s);
            x[i] = seq;
            lengths[i] = stay.length();
            statics[i] = st;
            y[i] = stay.label();
            summaries[i] = summary;
        }
        return new Split(new SequenceData(x, lengths, statics, y), summaries);
    }
}
