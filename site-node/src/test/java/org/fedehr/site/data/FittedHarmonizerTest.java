package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FittedHarmonizerTest {
    @TempDir
    Path dir;

    private static final FeatureDictionary NUM_CAT = new FeatureDictionary(List.of(
            new Feature("x", FeatureType.NUMERIC), new Feature("c", FeatureType.CATEGORICAL)), 2);

    private static Row row(int line, String x, String c) {
        return new Row(line, new String[] {x, c}, 0f);
    }

    @Test
    void handComputedScalingVocabularyAndMissingIndicators() {
        // site A: x = 1, 2, 3; c = a, a, b      site B: x = 5, missing; c = a, missing, z
        List<Row> a = List.of(row(1, "1", "a"), row(2, "2", "a"), row(3, "3", "b"));
        List<Row> b = List.of(row(1, "5", "a"), row(2, null, null), row(3, "5", "z"));
        FeatureStatistics sa = LocalStatistics.compute(NUM_CAT, a);
        FeatureStatistics sb = LocalStatistics.compute(NUM_CAT, b.subList(0, 2));   // B's third row is a test row
        assertThat(sa.numeric().get("x")).isEqualTo(new NumericSummary(3, 6, 14, 0));
        assertThat(sb.numeric().get("x")).isEqualTo(new NumericSummary(1, 5, 25, 1));
        FeatureStatistics global = FeatureStatistics.merge(List.of(sa, sb));
        assertThat(global.rows()).isEqualTo(5);

        FittedHarmonizer h = FittedHarmonizer.fit(NUM_CAT, global);
        // mean of {1,2,3,5} = 11/4 = 2.75; squared deviations 3.0625 + 0.5625 + 0.0625 + 5.0625 = 8.75; sample var = 8.75/3
        double std = Math.sqrt(8.75 / 3);
        assertThat(h.scaling("x").mean()).isEqualTo(2.75);
        assertThat(h.scaling("x").std()).isCloseTo(std, within(1e-12));
        // c counts: a=3, b=1 -> with k=2 only 'a' has its own column; 'b' is pooled into __other__; one missing
        assertThat(h.vocabulary("c")).containsExactly("a");
        assertThat(h.featureNames()).containsExactly("x", "x__missing", "c=a", "c=__other__", "c=__missing__");
        assertThat(h.width()).isEqualTo(5);

        assertThat(h.transform(a.get(0))).containsExactly((float) ((1 - 2.75) / std), 0f, 1f, 0f, 0f);
        assertThat(h.transform(a.get(2))).containsExactly((float) ((3 - 2.75) / std), 0f, 0f, 1f, 0f);
        assertThat(h.transform(b.get(1))).containsExactly(0f, 1f, 0f, 0f, 1f);
        assertThat(h.unseenCategoryCounts()).isEmpty();
        assertThat(h.transform(b.get(2))).containsExactly((float) ((5 - 2.75) / std), 0f, 0f, 1f, 0f);   // 'z' never seen
        assertThat(h.unseenCategoryCounts()).containsEntry("c", 1L);
    }

    @Test
    void zeroStdUsesOneAndNoMissingMeansNoIndicator() {
        FeatureDictionary d = new FeatureDictionary(List.of(new Feature("x", FeatureType.NUMERIC), new Feature("c", FeatureType.CATEGORICAL)), 1);
        FittedHarmonizer h = FittedHarmonizer.fit(d, LocalStatistics.compute(d, List.of(row(1, "4", "p"), row(2, "4", "q"))));
        assertThat(h.featureNames()).containsExactly("x", "c=p", "c=q", "c=__other__");
        assertThat(h.scaling("x").std()).isEqualTo(1.0);
        assertThat(h.transform(row(9, "6", "q"))).containsExactly(2f, 0f, 1f, 0f);
        // missing at prediction time although never missing at fit time: mean / all-zero, counted
        float[] out = h.transform(row(9, null, null));
        assertThat(out).containsExactly(0f, 0f, 0f, 0f);
        assertThat(h.unexpectedMissingCounts()).containsEntry("x", 1L).containsEntry("c", 1L);
    }

    /** C15: sites with different category sets get the identical layout; B's rows one-hot correctly. */
    @Test
    void caseC15SameLayoutAtEverySite() {
        // Cleveland-style "4.0" at A, Hungary-style "4" at B: the same category
        SiteData a = TestSites.load(dir, "a", "50,1,1.0,0\n51,1,2.0,1\n52,0,3.0,0\n53,0,4.0,1\n54,1,4.0,1\n55,0,2.0,0\n", "",
                "{test_fraction: 0.01, seed: 1, stratify: false}");
        SiteData b = TestSites.load(dir, "b", "60,1,2,1\n61,0,4,1\n62,1,4,1\n", "", "{test_fraction: 0.01, seed: 1, stratify: false}");
        assertThat(b.train()).extracting(r -> r.label()).containsOnly(1f);   // one class only: loads fine
        FeatureStatistics localA = LocalStatistics.compute(TestSites.DICT, a.train());
        FeatureStatistics localB = LocalStatistics.compute(TestSites.DICT, b.train());
        // fitting on its own statistics, B would know only cp 2 and 4: a different layout from A's
        assertThat(FittedHarmonizer.fit(TestSites.DICT, localB).featureNames())
                .isNotEqualTo(FittedHarmonizer.fit(TestSites.DICT, localA).featureNames());
        // each site fits from the merged statistics as it receives them over the wire (JSON), whatever the merge order
        FittedHarmonizer atA = FittedHarmonizer.fit(TestSites.DICT, org.fedehr.protocol.msg.Json.parse(
                org.fedehr.protocol.msg.Json.bytes(FeatureStatistics.merge(List.of(localA, localB))), FeatureStatistics.class));
        FittedHarmonizer atB = FittedHarmonizer.fit(TestSites.DICT, org.fedehr.protocol.msg.Json.parse(
                org.fedehr.protocol.msg.Json.bytes(FeatureStatistics.merge(List.of(localB, localA))), FeatureStatistics.class));
        assertThat(atB.scaling("age")).isEqualTo(atA.scaling("age"));
        assertThat(atA.featureNames()).isEqualTo(atB.featureNames())
                .containsExactly("age", "sex", "cp=1", "cp=2", "cp=3", "cp=4", "cp=__other__");
        assertThat(atA.width()).isEqualTo(atB.width()).isEqualTo(7);
        float[][] xb = atB.transform(b.train());
        assertThat(xb[0]).startsWith(xb[0][0], xb[0][1]);
        assertThat(java.util.Arrays.copyOfRange(xb[0], 2, 7)).containsExactly(0f, 1f, 0f, 0f, 0f);
        assertThat(java.util.Arrays.copyOfRange(xb[1], 2, 7)).containsExactly(0f, 0f, 0f, 1f, 0f);
        assertThat(atA.transform(b.train().get(2))).containsExactly(xb[2]);
    }

    /** C16: a test row with a missing value gets the global mean and the indicator; all outputs are finite. */
    @Test
    void caseC16MissingTestValueGetsMeanAndIndicator() {
        SiteData a = TestSites.load(dir, "a", "40,1,1,0\n?,0,2,1\n60,1,?,1\n50,0,3,0\n", "",
                "{test_fraction: 0.01, seed: 1, stratify: false}");
        FittedHarmonizer h = FittedHarmonizer.fit(TestSites.DICT, LocalStatistics.compute(TestSites.DICT, a.train()));
        assertThat(h.featureNames()).containsExactly("age", "age__missing", "sex", "cp=1", "cp=2", "cp=3", "cp=__other__", "cp=__missing__");
        Row testRow = new Row(10, new String[] {null, "1", null}, 1f);
        float[] x = h.transform(testRow);
        assertThat(x[0]).isEqualTo(0f);   // (mean - mean) / std
        assertThat(x[1]).isEqualTo(1f);
        assertThat(x[7]).isEqualTo(1f);
        float[][] all = h.transform(List.of(testRow, a.train().get(0), a.train().get(1), a.train().get(2)));
        for (float[] r : all) for (float v : r) assertThat(Float.isFinite(v)).isTrue();
    }
}
