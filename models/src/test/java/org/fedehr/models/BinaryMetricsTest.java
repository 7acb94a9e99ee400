package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    @Test
    void aurocHandComputed() {
        // positives 0.35 and 0.8; negatives 0.1 and 0.4: 0.35>0.1, 0.35<0.4, 0.8>both -> 3 of 4 pairs
        assertThat(BinaryMetrics.auroc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1}))
                .isEqualTo(0.75);
        assertThat(BinaryMetrics.auroc(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new float[] {0, 0, 1, 1}))
                .isEqualTo(1.0);
        assertThat(BinaryMetrics.auroc(new float[] {0.9f, 0.8f, 0.3f, 0.4f}, new float[] {0, 0, 1, 1}))
                .isEqualTo(0.0);
    }

    @Test
    void aurocTiesCountHalf() {
        // positive 0.5 ties both negatives (0.5 + 0.5), positive 0.9 beats both (2): 3 of 4
        assertThat(BinaryMetrics.auroc(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, new float[] {0, 1, 0, 1}))
                .isEqualTo(0.75);
        assertThat(BinaryMetrics.auroc(new float[] {0.3f, 0.3f, 0.3f}, new float[] {1, 0, 1}))
                .isEqualTo(0.5);
        // -0.0 and 0.0 are the same score
        assertThat(BinaryMetrics.auroc(new float[] {-0.0f, 0.0f}, new float[] {1, 0})).isEqualTo(0.5);
    }

    @Test
    void aurocMatchesPairwiseDefinitionOnRandomData() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + rng.nextInt(200);
            float[] s = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(10) / 10f; // many ties
                y[i] = rng.nextBoolean() ? 1f : 0f;
            }
            y[0] = 0f;
            y[1] = 1f;
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] == 1f && y[j] == 0f) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertThat(BinaryMetrics.auroc(s, y)).isCloseTo(wins / pairs, within(1e-12));
        }
    }

    @Test
    void aurocRejectsSingleClassAndBadInput() {
        assertThatThrownBy(() -> BinaryMetrics.auroc(new float[] {0.1f, 0.2f}, new float[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
        assertThatThrownBy(() -> BinaryMetrics.auroc(new float[0], new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryMetrics.auroc(new float[] {0.1f}, new float[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> BinaryMetrics.auroc(new float[] {0.1f, 0.2f}, new float[] {1, 0.5f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[1]");
        assertThatThrownBy(() -> BinaryMetrics.auroc(new float[] {Float.NaN, 0.2f}, new float[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores[0]");
    }

    @Test
    void logLossHandComputed() {
        double expected = -(Math.log(0.9) + Math.log(1 - 0.2)) / 2;
        assertThat(BinaryMetrics.logLoss(new float[] {0.9f, 0.2f}, new float[] {1, 0}))
                .isCloseTo(expected, within(1e-7));
        // clamped: a confident wrong prediction costs -ln(1e-7), not infinity
        assertThat(BinaryMetrics.logLoss(new float[] {0f}, new float[] {1}))
                .isCloseTo(-Math.log(BinaryMetrics.EPSILON), within(1e-9));
        assertThatThrownBy(() -> BinaryMetrics.logLoss(new float[0], new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryMetrics.logLoss(new float[] {1.5f}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores[0]");
    }

    @Test
    void correctAtThreshold() {
        float[] s = {0.1f, 0.5f, 0.49f, 0.8f};
        float[] y = {0, 1, 1, 0};
        // 0.1->0 ok, 0.5->1 ok (>= threshold), 0.49->0 wrong, 0.8->1 wrong
        assertThat(BinaryMetrics.correctAt(s, y, 0.5)).isEqualTo(2);
        assertThat(BinaryMetrics.correctAt(s, y, 0.0)).isEqualTo(2);
        assertThat(BinaryMetrics.correctAt(new float[0], new float[0], 0.5)).isZero();
    }
}
