package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("C03 zero examples everywhere: 'total weight 0', no NaN, global unchanged")
class C03_ZeroExamplesEverywhereTest {
    static final int P = 6;

    @Test
    @DisplayName("every site replies NO_DATA to training")
    void everySiteRepliesNoData() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            for (String s : new String[]{"A", "B", "C"}) fed.site(s, 100).onTrain(1, FakeSite.noData());
            RunResult result = fed.start().await();

            RoundRecord r = fed.round(1);
            assertThat(r.updated()).isFalse();
            assertThat(r.status()).startsWith("failed: total weight 0").contains("global model unchanged");
            assertThat(r.noData()).containsExactly("A", "B", "C");
            assertThat(r.failures()).isEmpty();
            assertThat(r.contributed()).isEmpty();
            Checks.allEqual(fed.globals.get(0), P, Federation.G0);
            Checks.allEqual(result.finalGlobal(), P, Federation.G0);
        }
    }

    @Test
    @DisplayName("every site sends an OK update trained on 0 rows: counted as no data, not as a quorum vote")
    void everySiteSendsAZeroRowUpdate() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            for (String s : new String[]{"A", "B", "C"})
                fed.site(s, 100).onTrain(1, FakeSite.train(Federation.filled(P, 3f), 0));
            fed.start().await();

            RoundRecord r = fed.round(1);
            assertThat(r.updated()).isFalse();
            assertThat(r.status()).startsWith("failed: total weight 0");
            assertThat(r.noData()).containsExactly("A", "B", "C");
            Checks.allEqual(fed.globals.get(0), P, Federation.G0);
            assertThat(fed.events).anyMatch(e -> e.startsWith("update with 0 training rows counted as no data: site A round 1"));
        }
    }

    @Test
    @DisplayName("every site has 0 rows from the start: the run fails at the statistics phase, before any model")
    void noRowsAtStatistics() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            for (String s : new String[]{"A", "B", "C"}) fed.site(s, 0);
            RunResult result = fed.start().await();

            assertThat(result.status()).startsWith("failed: ").contains("total weight 0");
            assertThat(result.rounds()).isEmpty();
            assertThat(result.finalGlobal()).isNull();
            assertThat(fed.rounds).isEmpty();
        }
    }
}
