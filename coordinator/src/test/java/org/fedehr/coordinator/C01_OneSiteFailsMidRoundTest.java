package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("C01 one site fails mid-round")
class C01_OneSiteFailsMidRoundTest {
    static final int P = 5;
    static final long DEADLINE_MS = 10_000;
    static final long GRACE_MS = 1_000;

    @Test
    @DisplayName("C receives the model and disappears: A and B aggregate 2/3, 1/3; next round on time; C rejoins later")
    void survivorsAggregateAndTheRunGoesOn() throws Exception {
        try (Federation fed = new Federation(Federation.policy(3, 3, 2, DEADLINE_MS, GRACE_MS), P)) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).delta(4f);
            fed.site("C", 50).delta(10f).onTrain(1, FakeSite.disappear());
            // C comes back between rounds 2 and 3 (a new process: registers again and polls from scratch)
            fed.afterRound = r -> {
                if (r.round() == 2) fed.site("C", 50).delta(10f).start();
            };
            RunResult result = fed.start().await();

            RoundRecord r1 = fed.round(1);
            assertThat(r1.selected()).containsExactly("A", "B", "C");
            assertThat(r1.contributed()).isEqualTo(Map.of("A", 100.0, "B", 50.0));
            double total = r1.contributed().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(r1.contributed().get("A") / total).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(r1.contributed().get("B") / total).isCloseTo(1.0 / 3, within(1e-12));
            // 10 + 2/3 * 1 + 1/3 * 4
            Checks.allEqual(fed.globals.get(0), P, 12f);
            assertThat(r1.updated()).isTrue();
            assertThat(r1.failures()).singleElement().satisfies(f -> {
                assertThat(f.siteId()).isEqualTo("C");
                assertThat(f.reason()).isEqualTo("timeout");
                assertThat(f.detail()).contains("TRAIN round 1");
            });
            assertThat(r1.status()).startsWith("completed with 1 failure (C: timeout");
            assertThat(fed.events).anyMatch(e -> e.startsWith("round 1 completed with 1 failure (C: timeout"));
            // closed at quorum + grace, not at the deadline
            assertThat(r1.seconds()).isLessThan(DEADLINE_MS / 1000.0 / 2);

            RoundRecord r2 = fed.round(2);
            assertThat(r2.contributed()).containsOnlyKeys("A", "B");
            assertThat(r2.status()).startsWith("completed with 1 failure (C: timeout");
            assertThat(r2.seconds()).isLessThan(DEADLINE_MS / 1000.0 / 2);
            Checks.allEqual(fed.globals.get(1), P, 14f);

            assertThat(fed.events).contains("site re-registered: C");
            RoundRecord r3 = fed.round(3);
            assertThat(r3.contributed()).isEqualTo(Map.of("A", 100.0, "B", 50.0, "C", 50.0));
            assertThat(r3.failures()).isEmpty();
            assertThat(r3.status()).isEqualTo("completed");
            // 14 + (100*1 + 50*4 + 50*10) / 200
            Checks.allEqual(fed.globals.get(2), P, 18f);
            assertThat(result.status()).isEqualTo("completed 3 rounds");
            Checks.allEqual(result.finalGlobal(), P, 18f);
        }
    }

    @Test
    @DisplayName("below quorum: the round is marked failed with a clear reason at the deadline, never a stall")
    void belowQuorumRoundFailsVisibly() throws Exception {
        try (Federation fed = new Federation(Federation.policy(2, 3, 2, 400, 50), P)) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).delta(4f).onTrain(1, FakeSite.disappear());
            fed.site("C", 50).delta(10f).onTrain(1, FakeSite.disappear());
            RunResult result = fed.start().await();

            RoundRecord r1 = fed.round(1);
            assertThat(r1.updated()).isFalse();
            assertThat(r1.contributed()).isEmpty();
            assertThat(r1.status()).startsWith("failed: 1 successful update, quorum is 2")
                    .contains("global model unchanged").contains("B: timeout").contains("C: timeout");
            assertThat(r1.failures()).extracting(SiteFailure::siteId).containsExactly("B", "C");
            Checks.allEqual(fed.globals.get(0), P, Federation.G0);
            // the run went on to the next round and finished
            assertThat(fed.round(2).updated()).isFalse();
            assertThat(fed.round(2).status()).startsWith("failed: 1 successful update, quorum is 2");
            assertThat(result.status()).isEqualTo("completed 2 rounds");
            Checks.allEqual(result.finalGlobal(), P, Federation.G0);
        }
    }
}
