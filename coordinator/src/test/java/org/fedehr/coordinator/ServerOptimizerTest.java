package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * FedAdam, FedYogi, FedAdagrad (Reddi et al. 2021, Algorithm 2), by hand. Two sites: A (1 row) Δ = [4, −4] and
 * B (3 rows) Δ = [0, 4]; the weighted mean Δ_1 = [(4 + 0)/4, (−4 + 12)/4] = [1, 2]. β1 = 0.9, β2 = 0.99, τ = 0.1,
 * η = 1, x_0 = [0, 0], m_{−1} = 0, v_{−1} = τ² = 0.01. Round 2: A and B both Δ = [0.05, 0] (mean [0.05, 0]).
 */
class ServerOptimizerTest {
    static final List<SiteUpdate> ROUND1 = List.of(new SiteUpdate("A", 1, new float[]{4f, -4f}),
            new SiteUpdate("B", 3, new float[]{0f, 4f}));
    static final List<SiteUpdate> ROUND2 = List.of(new SiteUpdate("A", 1, new float[]{0.05f, 0f}),
            new SiteUpdate("B", 3, new float[]{0.05f, 0f}));

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(2e-6));
    }

    private static void close(double[] actual, double... expected) {
        for (int i = 0; i < expected.length; i++) assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(1e-9));
    }

    @Test
    @DisplayName("FedAdam: v = β2·v + (1−β2)·Δ²; x += η·m/(√v + τ)")
    void fedAdamTwoRounds() {
        FedAdam s = new FedAdam(1.0, 0.9, 0.99, 0.1);
        float[] x1 = s.aggregateTrain(1, new float[]{0f, 0f}, ROUND1, List.of()).newGlobal();
        // m = 0.1·[1, 2] = [0.1, 0.2]; v = 0.99·0.01 + 0.01·[1, 4] = [0.0199, 0.0499]
        close(s.firstMoment(), 0.1, 0.2);
        close(s.secondMoment(), 0.0199, 0.0499);
        // x1 = [0.1/(√0.0199 + 0.1), 0.2/(√0.0499 + 0.1)] = [0.1/0.2410674, 0.2/0.3233831]
        close(x1, 0.414822, 0.618462);
        float[] x2 = s.aggregateTrain(2, x1, ROUND2, List.of()).newGlobal();
        // m = 0.9·[0.1, 0.2] + 0.1·[0.05, 0] = [0.095, 0.18]; v = 0.99·[0.0199, 0.0499] + 0.01·[0.0025, 0]
        //   = [0.019726, 0.049401]
        close(s.firstMoment(), 0.095, 0.18);
        close(s.secondMoment(), 0.019726, 0.049401);
        // step = [0.095/(0.1404493 + 0.1), 0.18/(0.2222634 + 0.1)] = [0.395094, 0.558549]
        close(x2, 0.414822 + 0.395094, 0.618462 + 0.558549);
    }

    @Test
    @DisplayName("FedYogi: v = v − (1−β2)·Δ²·sign(v − Δ²): grows towards a large Δ², shrinks towards a small one")
    void fedYogiSignRule() {
        FedYogi s = new FedYogi(1.0, 0.9, 0.99, 0.1);
        float[] x1 = s.aggregateTrain(1, new float[]{0f, 0f}, ROUND1, List.of()).newGlobal();
        // Δ² = [1, 4] > v = 0.01: sign −1, v = 0.01 + 0.01·[1, 4] = [0.02, 0.05]
        close(s.secondMoment(), 0.02, 0.05);
        // x1 = [0.1/(√0.02 + 0.1), 0.2/(√0.05 + 0.1)] = [0.1/0.2414214, 0.2/0.3236068]
        close(x1, 0.414214, 0.618034);
        float[] x2 = s.aggregateTrain(2, x1, ROUND2, List.of()).newGlobal();
        // Δ² = [0.0025, 0] < v: sign +1, v = [0.02 − 0.01·0.0025, 0.05 − 0] = [0.019975, 0.05]  (Adam would give 0.019825)
        close(s.secondMoment(), 0.019975, 0.05);
        close(s.firstMoment(), 0.095, 0.18);
        // step = [0.095/(0.1413329 + 0.1), 0.18/(0.2236068 + 0.1)] = [0.393647, 0.556231]
        close(x2, 0.414214 + 0.393647, 0.618034 + 0.556231);
    }

    @Test
    @DisplayName("FedAdagrad: v accumulates Δ² (v = v + Δ²)")
    void fedAdagradAccumulates() {
        FedAdagrad s = new FedAdagrad(1.0, 0.9, 0.1);
        float[] x1 = s.aggregateTrain(1, new float[]{0f, 0f}, ROUND1, List.of()).newGlobal();
        close(s.secondMoment(), 1.01, 4.01);
        // x1 = [0.1/(√1.01 + 0.1), 0.2/(√4.01 + 0.1)] = [0.1/1.1049876, 0.2/2.1024984]
        close(x1, 0.090499, 0.095125);
        float[] x2 = s.aggregateTrain(2, x1, ROUND2, List.of()).newGlobal();
        close(s.secondMoment(), 1.0125, 4.01);
        // step = [0.095/(1.0062306 + 0.1), 0.18/(2.0024984 + 0.1)] = [0.085877, 0.085612]
        close(x2, 0.090499 + 0.085877, 0.095125 + 0.085612);
    }

    @Test
    @DisplayName("secure aggregation path: aggregateMean from the weighted mean equals aggregateTrain")
    void meanPathEqualsIndividualPath() {
        FedAdam a = new FedAdam(1.0, 0.9, 0.99, 0.1), b = new FedAdam(1.0, 0.9, 0.99, 0.1);
        float[] x = a.aggregateTrain(1, new float[]{0f, 0f}, ROUND1, List.of()).newGlobal();
        float[] y = b.aggregateMean(1, new float[]{0f, 0f}, new double[]{1, 2}, 4, List.of("A", "B"), List.of()).newGlobal();
        assertThat(y).containsExactly(x);
        assertThat(a.worksOnMeans()).isTrue();
    }

    @Test
    @DisplayName("C08(b): FedAdam with tiny τ and two rounds of zero deltas keeps the model finite and unchanged")
    void c08bTinyTauZeroDeltas() {
        for (AdaptiveServerOptimizer s : List.of(new FedAdam(1.0, 0.9, 0.99, 1e-30), new FedYogi(1.0, 0.9, 0.99, 1e-30),
                new FedAdagrad(1.0, 0.9, 1e-30), new FedAdam(1.0, 0.9, 0.99, Double.MIN_VALUE))) {
            float[] g = {1.5f, -2f, 0f};
            List<SiteUpdate> zero = List.of(new SiteUpdate("A", 100, new float[3]), new SiteUpdate("B", 50, new float[3]));
            for (int round = 1; round <= 2; round++) {
                Aggregation agg = s.aggregateTrain(round, g, zero, List.of());
                assertThat(agg.updated()).as("%s round %d", s.name(), round).isTrue();
                assertThat(agg.newGlobal()).as("%s round %d", s.name(), round).containsExactly(1.5f, -2f, 0f);
                g = agg.newGlobal();
            }
            // the same through the secure-aggregation path
            Aggregation m = s.aggregateMean(3, g, new double[3], 150, List.of("A", "B"), List.of());
            assertThat(m.newGlobal()).containsExactly(1.5f, -2f, 0f);
        }
    }

    @Test
    @DisplayName("a non-finite step is not adopted and the moments are kept")
    void overflowNotAdopted() {
        FedAdagrad s = new FedAdagrad(1e38, 0.0, 1e-30);
        Aggregation agg = s.aggregateTrain(1, new float[]{3e38f}, List.of(new SiteUpdate("A", 1, new float[]{1f})), List.of());
        assertThat(agg.updated()).isFalse();
        assertThat(agg.failureReason()).contains("not finite");
        assertThat(s.firstMoment()).containsExactly(0.0);
    }

    @Test
    void noUpdatesNoAggregate() {
        FedAdam s = new FedAdam(1.0, 0.9, 0.99, 0.1);
        assertThat(s.aggregateTrain(1, new float[]{1f}, List.of(), List.of()).failureReason()).isEqualTo("0 successful updates");
        assertThat(s.aggregateTrain(1, new float[]{1f}, List.of(new SiteUpdate("A", 0, new float[]{1f})), List.of())
                .failureReason()).isEqualTo("total weight 0");
    }
}
