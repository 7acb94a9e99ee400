package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;

/**
 * The harmoniser fitted on the federation's merged statistics ({@link EventStatistics}): per concept the global mean
 * and standard deviation, per categorical static and code set the vocabulary (categories / codes seen in at least
 * {@code min_count} stays federation-wide, in sorted order; the rest pool into "other"). Identical at every site
 * given the same merged statistics, so every site produces the same {@link ChannelLayout}.
 */
public final class FittedEventHarmonizer {
    /**
     * Standardised values (series and numeric statics) are clipped to this many global standard deviations, so a
     * plausible but extreme value (e.g. AST in the thousands) cannot dominate a model's inputs.
     */
    public static final double CLIP = 6.0;

    private final EventDictionary dictionary;
    private final double[] mean, std;
    private final double[] sMean, sStd;
    private final List<List<String>> categoryVocab = new ArrayList<>();
    private final List<List<String>> codeVocab = new ArrayList<>();
    private final ChannelLayout layout;

    public FittedEventHarmonizer(EventDictionary dictionary, FeatureStatistics global) {
        this.dictionary = dictionary;
        int v = dictionary.series().size(), s = dictionary.statics().size();
        mean = new double[v];
        std = new double[v];
        for (int c = 0; c < v; c++) {
            NumericSummary ns = global.numeric().getOrDefault(EventDictionary.seriesKey(dictionary.series().get(c).name()), NumericSummary.EMPTY);
            mean[c] = ns.mean();
            double sd = ns.sampleStd();
            std[c] = sd > 0 ? sd : 1.0;
        }
        sMean = new double[s];
        sStd = new double[s];
        List<String> staticNames = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            Concept k = dictionary.statics().get(i);
            String key = EventDictionary.staticKey(k.name());
            if (k.kind() == ConceptKind.NUMERIC) {
                NumericSummary ns = global.numeric().getOrDefault(key, NumericSummary.EMPTY);
                sMean[i] = ns.mean();
                double sd = ns.sampleStd();
                sStd[i] = sd > 0 ? sd : 1.0;
                categoryVocab.add(List.of());
                staticNames.add(k.name());
                staticNames.add("missing:" + k.name());
            } else {
                List<String> vocab = vocabulary(global.categorical().getOrDefault(key, CategoricalSummary.EMPTY), k.minCount());
                categoryVocab.add(vocab);
                for (String cat : vocab) staticNames.add(k.name() + "=" + cat);
                staticNames.add(k.name() + "=other");
            }
        }
        for (Concept k : dictionary.codeSets()) {
            List<String> vocab = vocabulary(global.categorical().getOrDefault(EventDictionary.codeSetKey(k.name()), CategoricalSummary.EMPTY), k.minCount());
            codeVocab.add(vocab);
            for (String code : vocab) staticNames.add(k.name() + "=" + code);
            staticNames.add(k.name() + "=other");
        }
        List<String> concepts = new ArrayList<>();
        for (Concept k : dictionary.series()) concepts.add(k.name());
        layout = new ChannelLayout(concepts, dictionary.bins(), dictionary.binMinutes(), staticNames, dictionary.labelClasses());
    }

    /** Codes with a count of at least k, sorted. */
    public static List<String> vocabulary(CategoricalSummary counts, int k) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.counts().entrySet()) if (e.getValue() >= k) out.add(e.getKey());
        return List.copyOf(out);
    }

    public ChannelLayout layout() {
        return layout;
    }

    public EventDictionary dictionary() {
        return dictionary;
    }

    public double mean(int concept) {
        return mean[concept];
    }

    public double std(int concept) {
        return std[concept];
    }

    public List<String> codeVocabulary(int codeSet) {
        return codeVocab.get(codeSet);
    }

    public List<String> categoryVocabulary(int staticIndex) {
        return categoryVocab.get(staticIndex);
    }

    /** {@code (x − μ)/σ} clipped to ±{@value #CLIP}. */
    public static double standardise(double x, double mean, double std) {
        return Math.max(-CLIP, Math.min(CLIP, (x - mean) / std));
    }

    /** Standardises (clipped), forward-fills (bounded), builds masks, times since last observation, statics and summary. */
    public StaySequence toSequence(StayEvents stay, Resampler.Grid grid) {
        if (stay.label() < 0) throw new IllegalArgumentException("stay has no label");
        int bins = layout.bins(), v = layout.valueChannels();
        float[][] raw = grid.values();
        float[][] f = new float[bins][3 * v];
        float[] summary = new float[layout.summarySize()];
        for (int c = 0; c < v; c++) {
            Concept k = dictionary.series().get(c);
            Aggregation a = k.aggregation();
            int maxGapBins = k.maxGapMinutes() / dictionary.binMinutes();
            int last = -1;
            float lastValue = 0f;
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            int observed = 0;
            for (int t = 0; t < bins; t++) {
                boolean obs = grid.observed(t, c, a);
                if (obs || a == Aggregation.COUNT) {
                    float z = (float) standardise(raw[t][c], mean[c], std[c]);
                    f[t][c] = z;
                    if (obs) {
                        last = t;
                        lastValue = z;
                        observed++;
                        sum += z;
                        min = Math.min(min, z);
                        max = Math.max(max, z);
                        f[t][v + c] = 1f;
                    }
                } else if (last >= 0 && t - last <= maxGapBins) {
                    f[t][c] = lastValue;
                }
                f[t][2 * v + c] = last < 0 ? (float) (t + 1) / bins : (float) (t - last) / bins;
            }
            int base = ChannelLayout.SUMMARY_PARTS.size() * c;
            if (observed > 0) {
                summary[base] = (float) (sum / observed);
                summary[base + 1] = (float) min;
                summary[base + 2] = (float) max;
                summary[base + 3] = lastValue;
                summary[base + 4] = (float) observed / bins;
            }
        }
        float[] statics = new float[layout.staticCount()];
        int j = 0;
        for (int i = 0; i < dictionary.statics().size(); i++) {
            Concept k = dictionary.statics().get(i);
            if (k.kind() == ConceptKind.NUMERIC) {
                double x = stay.numericStatic(i);
                if (Double.isNaN(x)) {
                    statics[j] = 0f;
                    statics[j + 1] = 1f;
                } else statics[j] = (float) standardise(x, sMean[i], sStd[i]);
                j += 2;
            } else {
                List<String> vocab = categoryVocab.get(i);
                String cat = stay.categoricalStatic(i);
                if (cat != null) {
                    int idx = java.util.Collections.binarySearch(vocab, cat);
                    statics[j + (idx >= 0 ? idx : vocab.size())] = 1f;
                }
                j += vocab.size() + 1;
            }
        }
        for (int s = 0; s < codeVocab.size(); s++) {
            List<String> vocab = codeVocab.get(s);
            TreeSet<String> in = grid.codes().get(s);
            for (String code : in) {
                int idx = java.util.Collections.binarySearch(vocab, code);
                statics[j + (idx >= 0 ? idx : vocab.size())] = 1f;
            }
            j += vocab.size() + 1;
        }
        System.arraycopy(statics, 0, summary, ChannelLayout.SUMMARY_PARTS.size() * v, statics.length);
        return new StaySequence(stay.stayId(), stay.label(), f, statics, summary);
    }
}
