package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("C14 metric aggregation: accuracy weighted by test rows, per-site values kept beside it")
class C14_MetricAggregationTest {

    @Test
    void accuracyIsTotalCorrectOverTotalRowsNotAMeanOfRatios() {
        // A: 0.9 on 10 rows (9 correct), B: 0.5 on 90 rows (45 correct) -> 54 / 100
        EvaluationSummary s = EvaluationSummary.of(Map.of("A", new EvalMetrics(10, 9, 0.2, 0.8),
                "B", new EvalMetrics(90, 45, 0.6, null)), List.of());
        assertThat(s.n()).isEqualTo(100);
        assertThat(s.accuracy()).isCloseTo(0.54, within(1e-12));
        assertThat(s.meanSiteAccuracy()).as("the plain mean of ratios is kept apart").isCloseTo(0.7, within(1e-12));
        assertThat(s.loss()).as("(10*0.2 + 90*0.6) / 100").isCloseTo(0.56, within(1e-12));
        assertThat(s.auroc()).as("only A could compute AUROC").isCloseTo(0.8, within(1e-12));
        assertThat(s.perSite()).containsOnlyKeys("A", "B");
        assertThat(s.perSite().get("A").accuracy()).isCloseTo(0.9, within(1e-12));
        assertThat(s.perSite().get("B").accuracy()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void noTestRowsAnywhereGivesNaNotNaN() {
        EvaluationSummary s = EvaluationSummary.of(Map.of("A", new EvalMetrics(0, 0, null, null)), List.of());
        assertThat(s.n()).isZero();
        assertThat(s.accuracy()).isNull();
        assertThat(s.loss()).isNull();
        assertThat(s.auroc()).isNull();
        assertThat(s.meanSiteAccuracy()).isNull();
    }

    @Test
    void federatedRoundReportsTheWeightedAccuracy() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 2, 2, 10_000, 1_000), 3)) {
            fed.site("A", 100).eval(10, 9);
            fed.site("B", 100).eval(90, 45);
            fed.start().await();
            EvaluationSummary e = fed.round(1).evaluation();
            assertThat(e).isNotNull();
            assertThat(e.accuracy()).isCloseTo(0.54, within(1e-12));
            assertThat(e.perSite().get("A").accuracy()).isCloseTo(0.9, within(1e-12));
            assertThat(e.perSite().get("B").accuracy()).isCloseTo(0.5, within(1e-12));
            assertThat(e.failures()).isEmpty();
        }
    }
}
