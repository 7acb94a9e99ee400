package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCAFFOLD through a whole run: the global vector is [x | c] (c starts at 0), every TRAIN and EVALUATE instruction
 * names the algorithm and announces 2P values, updates of 2P values are validated and aggregated (plain and under
 * secure aggregation), and the run's result is the model x alone.
 */
class ScaffoldRunTest {
    @ParameterizedTest(name = "secure aggregation {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("one round, 2 sites: x = [10, 10] + [−1, 3], c = 0 + (2/2)·[−0.5, 2.5]")
    void oneRound(boolean secure) throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 2, 2, 5_000, 200), 2, new Scaffold(1.0),
                secure ? SecureAggregationRunTest.secure(0) : null)) {
            // A (1 row) [Δx | Δc] = [2, 0 | 1, 1], B (3 rows) [−2, 4 | −1, 3]: weighted mean [−1, 3 | −0.5, 2.5]
            fed.site("A", 1).delta(2f, 0f, 1f, 1f);
            fed.site("B", 3).delta(-2f, 4f, -1f, 3f);
            RunResult r = fed.start().await();
            assertThat(fed.round(1).updated()).as(fed.round(1).status()).isTrue();
            float[] g = fed.globals.get(0);
            assertThat(g).hasSize(4);
            float[] expected = {9f, 13f, -0.5f, 2.5f};
            for (int i = 0; i < 4; i++) assertThat(g[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
            assertThat(r.finalGlobal()).hasSize(2);
            assertThat(r.finalGlobal()[0]).isCloseTo(9f, org.assertj.core.api.Assertions.within(1e-5f));
            for (TaskInstruction t : fed.sites.get("A").received) {
                if (t.kind() == TaskKind.TRAIN || t.kind() == TaskKind.EVALUATE) {
                    assertThat(t.algorithm()).isEqualTo(LocalAlgorithm.scaffold());
                    assertThat(t.paramCount()).isEqualTo(4);
                } else {
                    assertThat(t.algorithm()).isNull();
                }
            }
        }
    }

    @ParameterizedTest(name = "secure aggregation {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("C08(b) through a run: FedAdam, τ = 1e-30, two rounds of zero deltas: global unchanged and finite")
    void fedAdamZeroDeltas(boolean secure) throws Exception {
        try (Federation fed = new Federation(Federation.policy(2, 2, 2, 5_000, 200), 3, new FedAdam(1.0, 0.9, 0.99, 1e-30),
                secure ? SecureAggregationRunTest.secure(0) : null)) {
            fed.site("A", 100).delta(0f);
            fed.site("B", 50).delta(0f);
            RunResult r = fed.start().await();
            assertThat(fed.globals).hasSize(2);
            for (float[] g : fed.globals) assertThat(g).containsExactly(Federation.G0, Federation.G0, Federation.G0);
            assertThat(fed.round(2).updated()).isTrue();
            assertThat(r.finalGlobal()).containsExactly(Federation.G0, Federation.G0, Federation.G0);
        }
    }
}
