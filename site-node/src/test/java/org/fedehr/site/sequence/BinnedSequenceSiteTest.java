package org.fedehr.site.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.junit.jupiter.api.Test;

/** Hand-computed statistics, harmonised grids and summaries on a 4-bin grid; the stratified split. */
class BinnedSequenceSiteTest {
    private static final double N = Double.NaN;

    /** A: c0 = [2, -, 4, -], c1 never, static 10. B (3 bins long): c0 = [-, 6, -, (100 padding)], c1 = [1, -, 3, -], static missing. */
    static BinnedSequenceSite tiny() {
        BinnedStay a = new BinnedStay("a", 1, new double[][] {{2, N}, {N, N}, {4, N}, {N, N}}, new double[] {10}, 4);
        BinnedStay b = new BinnedStay("b", 0, new double[][] {{N, 1}, {6, N}, {N, 3}, {100, N}}, new double[] {N}, 3);
        return new BinnedSequenceSite(List.of("c0", "c1"), List.of("s"), 4, List.of(a, b), 0.0, 1);
    }

    @Test
    void statisticsCountObservedBinsWithinEachStay() {
        FeatureStatistics s = tiny().statistics();
        assertThat(s.rows()).isEqualTo(2);
        // c0: 2, 4, 6 (B's padded 100 is outside its length); missing: A bins 1, 3 and B bins 0, 2
        assertThat(s.numeric().get("series:c0")).isEqualTo(new NumericSummary(3, 12, 56, 4));
        assertThat(s.numeric().get("series:c1")).isEqualTo(new NumericSummary(2, 4, 10, 5));
        assertThat(s.numeric().get("static:s")).isEqualTo(new NumericSummary(1, 10, 100, 1));
        assertThat(tiny().statisticNames()).containsExactly("series:c0", "series:c1", "static:s");
        assertThat(tiny().valuesPerStay("series:c0")).isEqualTo(4);
        assertThat(tiny().valuesPerStay("static:s")).isEqualTo(1);
    }

    @Test
    void harmonisesWithTheMergedStatistics() {
        BinnedSequenceSite site = tiny();
        // merged = this site alone: c0 mean 4, sample sd sqrt((56 - 144/3) / 2) = 2; c1 mean 2, sd sqrt(2);
        // static: one value -> sd 0 -> 1, mean 10
        HarmonisedSequences h = site.harmonise(site.statistics());
        assertThat(h.layout()).isEqualTo(new SequenceSite.Layout(6, 2, 12, 4));
        float[][] a = h.train().x()[indexOf(h, 1)];
        float[][] b = h.train().x()[indexOf(h, 0)];
        double r = Math.sqrt(2) / 2;   // 1 / sqrt(2)
        // channels per step: value c0, value c1, mask c0, mask c1, time-since-last c0, c1 (in bins / 4)
        double[][] expectA = {
                {-1, 0, 1, 0, 0, .25}, {-1, 0, 0, 0, .25, .5}, {0, 0, 1, 0, 0, .75}, {0, 0, 0, 0, .25, 1}};
        double[][] expectB = {
                {0, -r, 0, 1, .25, 0}, {1, -r, 1, 0, 0, .25}, {1, r, 0, 1, .25, 0}, {1, r, 0, 0, .5, .25}};
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < 6; c++) {
                assertThat((double) a[t][c]).as("A t%d c%d", t, c).isCloseTo(expectA[t][c], within(1e-6));
                assertThat((double) b[t][c]).as("B t%d c%d", t, c).isCloseTo(expectB[t][c], within(1e-6));
            }
        assertThat(h.train().lengths()[indexOf(h, 0)]).isEqualTo(3);
        assertThat(h.train().statics()[indexOf(h, 1)]).containsExactly(0f, 0f);
        assertThat(h.train().statics()[indexOf(h, 0)]).containsExactly(0f, 1f);
        // summaries: per concept mean, min, max, last, fraction of the stay's bins observed; then the statics
        float[] sa = h.summaryTrain()[indexOf(h, 1)];
        float[] sb = h.summaryTrain()[indexOf(h, 0)];
        double[] expectSa = {-.5, -1, 0, 0, .5, 0, 0, 0, 0, 0, 0, 0};
        double[] expectSb = {1, 1, 1, 1, 1 / 3.0, 0, -r, r, r, 2 / 3.0, 0, 1};
        for (int i = 0; i < 12; i++) {
            assertThat((double) sa[i]).as("summary A %d", i).isCloseTo(expectSa[i], within(1e-6));
            assertThat((double) sb[i]).as("summary B %d", i).isCloseTo(expectSb[i], within(1e-6));
        }
    }

    @Test
    void standardisedValuesAreClipped() {
        BinnedStay far = new BinnedStay("f", 0, new double[][] {{1000}}, new double[0], 1);
        BinnedSequenceSite site = new BinnedSequenceSite(List.of("c"), List.of(), 1, List.of(far), 0.0, 1);
        FeatureStatistics merged = new FeatureStatistics(1, new java.util.TreeMap<>(java.util.Map.of(
                "series:c", new NumericSummary(2, 0, 2, 0))), new java.util.TreeMap<>());   // mean 0, sd sqrt(2)
        assertThat(site.harmonise(merged).train().x()[0][0][0]).isEqualTo((float) BinnedSequenceSite.CLIP);
    }

    @Test
    void stratifiedSeededSplit() {
        List<BinnedStay> stays = new ArrayList<>();
        for (int i = 0; i < 40; i++)
            stays.add(new BinnedStay("s" + i, i < 10 ? 1 : 0, new double[][] {{i}}, new double[0], 1));
        BinnedSequenceSite one = new BinnedSequenceSite(List.of("c"), List.of(), 1, stays, 0.2, 5);
        assertThat(one.trainSize()).isEqualTo(32);
        assertThat(one.testSize()).isEqualTo(8);
        HarmonisedSequences h = one.harmonise(one.statistics());
        int testPositives = 0;
        for (float y : h.test().y()) testPositives += (int) y;
        assertThat(testPositives).as("20 % of the 10 positives").isEqualTo(2);
        HarmonisedSequences again = new BinnedSequenceSite(List.of("c"), List.of(), 1, stays, 0.2, 5).harmonise(one.statistics());
        assertThat(again.summaryTest()).isDeepEqualTo(h.summaryTest());
        HarmonisedSequences other = new BinnedSequenceSite(List.of("c"), List.of(), 1, stays, 0.2, 6).harmonise(one.statistics());
        assertThat(other.summaryTest()).isNotEqualTo(h.summaryTest());
    }

    @Test
    void badShapesAreNamed() {
        BinnedStay shortStay = new BinnedStay("x", 0, new double[][] {{1}}, new double[0], 1);
        assertThatThrownBy(() -> new BinnedSequenceSite(List.of("c"), List.of(), 2, List.of(shortStay), 0.2, 1))
                .hasMessage("stay x has 1 bins, expected 2");
        assertThatThrownBy(() -> new BinnedStay("y", 0, new double[][] {{1}}, new double[0], 2))
                .hasMessage("stay y: length must be in [1, 1], got 2");
        assertThatThrownBy(() -> new BinnedSequenceSite(List.of("c"), List.of(), 1, List.of(shortStay), 1.0, 1))
                .hasMessageContaining("testFraction");
    }

    private static int indexOf(HarmonisedSequences h, int label) {
        float[] y = h.train().y();
        for (int i = 0; i < y.length; i++) if (y[i] == label) return i;
        throw new AssertionError("no stay with label " + label);
    }
}
