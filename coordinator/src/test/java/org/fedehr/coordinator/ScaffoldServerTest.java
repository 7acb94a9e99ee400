package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** SCAFFOLD's server step on [x | c], by hand. */
class ScaffoldServerTest {
    @Test
    @DisplayName("x += η_g·Δx, c += (|S|/N)·Δc with 2 of 3 sites contributing")
    void serverStep() {
        Scaffold s = new Scaffold(1.0);
        assertThat(s.configureTrain(1, List.of("A", "B", "C"))).containsExactly("A", "B", "C");
        // global [x1, x2 | c1, c2] = [1, 2 | 0.5, −0.5]; A (1 row) [2, 0 | 1, 1], B (3 rows) [−2, 4 | −1, 3]
        // weighted mean = [(2 − 6)/4, 12/4 | (1 − 3)/4, (1 + 9)/4] = [−1, 3 | −0.5, 2.5]
        List<SiteUpdate> ups = List.of(new SiteUpdate("A", 1, new float[]{2f, 0f, 1f, 1f}),
                new SiteUpdate("B", 3, new float[]{-2f, 4f, -1f, 3f}));
        float[] next = s.aggregateTrain(1, new float[]{1f, 2f, 0.5f, -0.5f}, ups, List.of()).newGlobal();
        // x = [1 − 1, 2 + 3] = [0, 5]; c = [0.5 − (2/3)·0.5, −0.5 + (2/3)·2.5] = [1/6, 7/6]
        double[] expected = {0, 5, 1.0 / 6, 7.0 / 6};
        for (int i = 0; i < 4; i++) assertThat((double) next[i]).isCloseTo(expected[i], within(1e-6));
        // the secure-aggregation path gives the same
        float[] viaMean = s.aggregateMean(1, new float[]{1f, 2f, 0.5f, -0.5f}, new double[]{-1, 3, -0.5, 2.5}, 4,
                List.of("A", "B"), List.of()).newGlobal();
        assertThat(viaMean).containsExactly(next);
    }

    @Test
    @DisplayName("the server learning rate scales x only")
    void serverLearningRate() {
        Scaffold s = new Scaffold(0.5);
        s.configureTrain(1, List.of("A"));
        float[] next = s.aggregateTrain(1, new float[]{0f, 0f}, List.of(new SiteUpdate("A", 2, new float[]{4f, 4f})), List.of()).newGlobal();
        assertThat(next).containsExactly(2f, 4f);
        assertThat(s.localAlgorithm()).isEqualTo(LocalAlgorithm.scaffold());
        assertThat(LocalAlgorithm.vectorLength(s.localAlgorithm(), 19)).isEqualTo(38);
    }
}
