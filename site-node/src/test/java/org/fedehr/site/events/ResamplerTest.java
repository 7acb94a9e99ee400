package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.TreeMap;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.junit.jupiter.api.Test;

/** Hand-computed grids: window 4 h, bins of 60 min. */
class ResamplerTest {
    // a: mean, forward fill up to 60 min; b: last, no fill; c: min; d: max, fill up to 120 min; e: count
    static final EventDictionary DICT = new EventDictionary(List.of(
            Concept.numeric("a", "1", 0, 100, Aggregation.MEAN, 60),
            Concept.numeric("b", "1", 0, 100, Aggregation.LAST, 0),
            Concept.numeric("c", "1", 0, 100, Aggregation.MIN, 0),
            Concept.numeric("d", "1", 0, 100, Aggregation.MAX, 120),
            Concept.numeric("e", "1", 0, 100, Aggregation.COUNT, 0)), List.of(), List.of(), 240, 60, 2);

    static StayEvents stay() {
        StayEvents s = new StayEvents("s1", DICT);
        s.label(1);
        s.add(0, 10, 2);      // a bin 0: 2, 4 -> mean 3
        s.add(0, 50, 4);
        s.add(0, 130, 9);     // a bin 2: 9
        s.add(1, 70, 5);      // b bin 1: last of 5 (70), 7 (110), 6 (100) -> 7 (latest time)
        s.add(1, 110, 7);
        s.add(1, 100, 6);
        s.add(2, 200, 8);     // c bin 3: min 3
        s.add(2, 230, 3);
        s.add(3, 0, 1);       // d bin 0: max 4
        s.add(3, 30, 4);
        s.add(4, 61, 1);      // e bin 1: 2 events, bin 3: 1
        s.add(4, 65, 1);
        s.add(4, 239.9, 1);
        s.add(0, -5, 50);     // before the anchor
        s.add(0, 240, 50);    // at the window end: after it
        s.add(1, 110, 7);     // duplicate of (b, 110 min, 7)
        return s;
    }

    @Test
    void aggregatesPerBinAndCountsDrops() {
        HarmonisationReport report = new HarmonisationReport(DICT);
        Resampler.Grid g = new Resampler(DICT).aggregate(stay(), report);
        float n = Float.NaN;
        float[][] expected = {
                {3, n, n, 4, 0},
                {n, 7, n, n, 2},
                {9, n, n, n, 0},
                {n, n, 3, n, 1}};
        for (int t = 0; t < 4; t++) assertThat(g.values()[t]).as("bin " + t).containsExactly(expected[t]);
        assertThat(report.concept("a").dropped(HarmonisationReport.Drop.BEFORE_ANCHOR)).isEqualTo(1);
        assertThat(report.concept("a").dropped(HarmonisationReport.Drop.AFTER_WINDOW)).isEqualTo(1);
        assertThat(report.concept("b").dropped(HarmonisationReport.Drop.DUPLICATE)).isEqualTo(1);
        assertThat(report.concept("a").kept()).isEqualTo(3);
        assertThat(report.concept("b").kept()).isEqualTo(3);
        assertThat(report.concept("e").kept()).isEqualTo(3);
        assertThat(g.empty()).isFalse();
    }

    @Test
    void standardisesFillsMasksAndTimesSinceLastObservation() {
        // global statistics: a mean 5 sd 2; b mean 6 sd 1; c, d mean 0 sd 1 (sd of 1 value -> 1); e mean 1 sd 1
        TreeMap<String, NumericSummary> num = new TreeMap<>();
        num.put("series:a", summary(5, 2));
        num.put("series:b", summary(6, 1));
        num.put("series:c", summary(0, 1));
        num.put("series:d", summary(0, 1));
        num.put("series:e", summary(1, 1));
        FittedEventHarmonizer fit = new FittedEventHarmonizer(DICT, new FeatureStatistics(10, num, new TreeMap<>()));
        assertThat(fit.mean(0)).isCloseTo(5, within(1e-12));
        assertThat(fit.std(0)).isCloseTo(2, within(1e-12));
        StayEvents s = stay();
        StaySequence seq = fit.toSequence(s, new Resampler(DICT).aggregate(s, new HarmonisationReport(DICT)));
        ChannelLayout l = fit.layout();
        assertThat(l.channels()).isEqualTo(15);
        assertThat(l.channelNames()).startsWith("a", "b", "c", "d", "e", "mask:a");
        float[][] f = seq.features();
        // a: bins 3, -, 9, - -> z = -1, fill -1 (gap 60 min = 1 bin), 2, fill 2
        assertThat(column(f, l.valueChannel(0))).containsExactly(-1f, -1f, 2f, 2f);
        assertThat(column(f, l.maskChannel(0))).containsExactly(1f, 0f, 1f, 0f);
        assertThat(column(f, l.deltaChannel(0))).containsExactly(0f, 0.25f, 0f, 0.25f);
        // b: only bin 1 (7 -> z 1), no fill; delta before the first observation = (t+1)/bins
        assertThat(column(f, l.valueChannel(1))).containsExactly(0f, 1f, 0f, 0f);
        assertThat(column(f, l.deltaChannel(1))).containsExactly(0.25f, 0f, 0.25f, 0.5f);
        // c: only bin 3 (min 3)
        assertThat(column(f, l.valueChannel(2))).containsExactly(0f, 0f, 0f, 3f);
        assertThat(column(f, l.deltaChannel(2))).containsExactly(0.25f, 0.5f, 0.75f, 0f);
        // d: bin 0 (max 4), filled for 2 bins, then the 3-bin gap exceeds max_gap -> 0 (global mean)
        assertThat(column(f, l.valueChannel(3))).containsExactly(4f, 4f, 4f, 0f);
        assertThat(column(f, l.maskChannel(3))).containsExactly(1f, 0f, 0f, 0f);
        assertThat(column(f, l.deltaChannel(3))).containsExactly(0f, 0.25f, 0.5f, 0.75f);
        // e: counts 0, 2, 0, 1 standardised with mean 1 sd 1 -> -1, 1, -1, 0; mask where count > 0
        assertThat(column(f, l.valueChannel(4))).containsExactly(-1f, 1f, -1f, 0f);
        assertThat(column(f, l.maskChannel(4))).containsExactly(0f, 1f, 0f, 1f);
        // summary of a over observed bins (-1, 2): mean 0.5, min -1, max 2, last 2, observed 2/4
        assertThat(java.util.Arrays.copyOfRange(seq.summary(), 0, 5)).containsExactly(0.5f, -1f, 2f, 2f, 0.5f);
        assertThat(l.summaryNames().subList(0, 5)).containsExactly("mean:a", "min:a", "max:a", "last:a", "observed:a");
        assertThat(seq.label()).isEqualTo(1);
    }

    @Test
    void aStayWithoutEventsInTheWindowIsEmpty() {
        StayEvents s = new StayEvents("s2", DICT);
        s.label(0);
        s.add(0, 300, 1);
        HarmonisationReport report = new HarmonisationReport(DICT);
        assertThat(new Resampler(DICT).aggregate(s, report).empty()).isTrue();
    }

    /** A summary with the given mean and sample sd over 3 values m - d, m, m + d (sample sd √((d² + d²)/2) = d). */
    static NumericSummary summary(double mean, double sd) {
        double h = sd;
        double[] x = {mean - h, mean, mean + h};
        NumericSummary s = NumericSummary.EMPTY;
        for (double v : x) s = s.with(v);
        return s;
    }

    static float[] column(float[][] f, int c) {
        float[] out = new float[f.length];
        for (int t = 0; t < f.length; t++) out[t] = f[t][c];
        return out;
    }
}
