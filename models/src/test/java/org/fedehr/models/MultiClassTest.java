package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Multi-class metrics (hand-computed), AUPRC (hand-computed) and the multi-class MLP. */
class MultiClassTest {

    private static final float[][] PROBS = {{.7f, .2f, .1f}, {.1f, .8f, .1f}, {.3f, .3f, .4f}, {.5f, .25f, .25f}};
    private static final float[] LABELS = {0, 1, 2, 1};

    @Test
    void multiClassMetricsByHand() {
        // argmax: 0, 1, 2, 0 -> three of four correct.
        assertThat(MultiClassMetrics.correct(PROBS, LABELS, 3)).isEqualTo(3);
        double expectedLoss = -(Math.log(.7) + Math.log(.8) + Math.log(.4) + Math.log(.25)) / 4;
        assertThat(MultiClassMetrics.logLoss(PROBS, LABELS, 3)).isCloseTo(expectedLoss, within(1e-6));
        // class 0: .7 beats .1, .3, .5 -> 1; class 1: positives .8, .25 vs negatives .2, .3 -> 3 of 4 pairs = .75;
        // class 2: .4 beats .1, .1, .25 -> 1. Macro mean = 2.75 / 3.
        assertThat(MultiClassMetrics.macroAuroc(PROBS, LABELS, 3)).isCloseTo(2.75 / 3, within(1e-6));
        // Only one class present: no AUROC, never NaN.
        assertThat(MultiClassMetrics.macroAuroc(new float[][] {{.5f, .5f, 0f}}, new float[] {1}, 3)).isNull();
        assertThatThrownBy(() -> MultiClassMetrics.correct(PROBS, new float[] {0, 1, 3, 1}, 3))
                .hasMessage("labels[2] must be a class index in [0, 3)");
    }

    @Test
    void auprcByHand() {
        // Thresholds .9 (P 1, R .5), .8 (R unchanged), .7 (P 2/3, R 1): AP = .5 * 1 + .5 * 2/3.
        assertThat(BinaryMetrics.auprc(new float[] {.9f, .8f, .7f, .6f}, new float[] {1, 0, 1, 0}))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
        // Tied scores enter together: .5 (tp 1, fp 1: P .5, R .5), then .2 (P 2/3, R 1): .25 + 1/3.
        assertThat(BinaryMetrics.auprc(new float[] {.5f, .5f, .2f}, new float[] {1, 0, 1}))
                .isCloseTo(0.25 + 1 / 3.0, within(1e-12));
        // Perfect ranking: 1; undefined without positives.
        assertThat(BinaryMetrics.auprc(new float[] {.1f, .9f}, new float[] {0, 1})).isEqualTo(1.0);
        assertThatThrownBy(() -> BinaryMetrics.auprc(new float[] {.1f}, new float[] {0}))
                .hasMessageContaining("at least one positive");
    }

    @Test
    void multiClassMlpSpecAndTraining() {
        ModelSpec spec = new ModelSpec("mlp", 2, List.of(8), "relu", 0.0, 3, 0);
        // 2*8 + 8 + 8*3 + 3 = 51; the canonical JSON carries classes only when not 2.
        assertThat(spec.parameterCount()).isEqualTo(51);
        assertThat(spec.canonicalJson()).isEqualTo(
                "{\"activation\":\"relu\",\"classes\":3,\"format\":1,\"hidden\":[8],\"inputs\":2,\"kind\":\"mlp\",\"l2\":0.0}");
        assertThat(ModelSpec.fromJson(spec.canonicalJson())).isEqualTo(spec);
        // Three Gaussian blobs around (2,0), (-1,1.7), (-1,-1.7).
        SplittableRandom rng = new SplittableRandom(4);
        float[][] x = new float[600][2];
        float[] y = new float[600];
        double[][] centres = {{2, 0}, {-1, 1.7}, {-1, -1.7}};
        for (int i = 0; i < x.length; i++) {
            int k = i % 3;
            y[i] = k;
            x[i][0] = (float) (centres[k][0] + 0.5 * (rng.nextDouble() - 0.5) * 2);
            x[i][1] = (float) (centres[k][1] + 0.5 * (rng.nextDouble() - 0.5) * 2);
        }
        try (LocalTrainer t = new LocalTrainer(spec, 3)) {
            float[] p = t.initialParameters();
            float[] delta = t.train(p, x, y, TrainingSettings.ofEpochs(10, 32, "adam", 0.02), 1).delta();
            for (int i = 0; i < p.length; i++) {
                p[i] += delta[i];
            }
            EvalResult e = t.evaluate(p, x, y);
            assertThat(e.accuracy()).isGreaterThan(0.97);
            assertThat(e.auroc()).isGreaterThan(0.99);
            assertThat(e.scores()).isNull();
            assertThatThrownBy(() -> t.predict(t.initialParameters(), x)).hasMessageContaining("probabilities");
            float[] bad = y.clone();
            bad[5] = 1.5f;
            assertThatThrownBy(() -> t.train(t.initialParameters(), x, bad, TrainingSettings.ofEpochs(1, 32, "sgd", 0.1), 1))
                    .hasMessage("y[5] must be a class index in [0, 3)");
        }
    }
}
