package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("C04 one site has no rows: A and C weighted 0.6/0.4, B 'no data' with n/a metrics")
class C04_OneSiteHasNoRowsTest {
    static final int P = 3;

    private static void checkRound(Federation fed) {
        RoundRecord r = fed.round(1);
        assertThat(r.contributed()).isEqualTo(Map.of("A", 120.0, "C", 80.0));
        assertThat(r.contributed().get("A") / 200).isCloseTo(0.6, within(1e-12));
        assertThat(r.noData()).containsExactly("B");
        assertThat(r.failures()).isEmpty();
        assertThat(r.status()).isEqualTo("completed");
        Checks.allEqual(fed.globals.get(0), P, 13f); // 10 + 0.6*1 + 0.4*6

        EvaluationSummary e = r.evaluation();
        EvalMetrics b = e.perSite().get("B");
        assertThat(b.n()).isZero();
        assertThat(b.accuracy()).as("B accuracy n/a").isNull();
        assertThat(b.loss()).as("B loss n/a").isNull();
        assertThat(b.auroc()).isNull();
        // (18 + 40) / (20 + 80): B's 0 rows neither add nor dilute
        assertThat(e.accuracy()).isCloseTo(0.58, within(1e-12));
        assertThat(e.meanSiteAccuracy()).as("B skipped, not counted as 0 or NaN").isCloseTo(0.7, within(1e-12));
        assertThat(e.loss()).isNotNull().isFinite();
        assertThat(e.n()).isEqualTo(100);
    }

    @Test
    void noDataSiteIsListedAndIgnored() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            fed.site("A", 120).delta(1f).eval(20, 18);
            fed.site("B", 0).eval(0, 0);
            fed.site("C", 80).delta(6f).eval(80, 40);
            fed.start().await();
            checkRound(fed);
        }
    }

    @Test
    @DisplayName("an OK update claiming 0 rows is treated the same: its delta never enters the sum")
    void zeroRowUpdateIsNoData() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            fed.site("A", 120).delta(1f).eval(20, 18);
            fed.site("B", 0).eval(0, 0).onTrain(1, FakeSite.train(Federation.filled(P, 99f), 0));
            fed.site("C", 80).delta(6f).eval(80, 40);
            fed.start().await();
            checkRound(fed);
        }
    }
}
