package org.fedehr.models;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Corrected local SGD (FedProx, SCAFFOLD, Ditto) on a tiny logistic model, by hand. Two inputs, flat parameters
 * [w1, w2, b] = [0.5, −0.25, 0.1]; rows x = [1, 2] (y = 1) and [−1, 0.5] (y = 0); one step of SGD at lr 0.1 over the
 * batch of both rows. z = [0.1, −0.525], σ(z) − y = [0.524979 − 1, 0.371684] = [−0.475021, 0.371684]; the mean
 * gradient of the cross-entropy is g = [(−0.475021 − 0.371684)/2, (−0.950042 + 0.185842)/2, (−0.475021 + 0.371684)/2]
 * = [−0.423352, −0.382100, −0.051669].
 */
class SgdCorrectionTest {
    static final ModelSpec SPEC = ModelSpec.logistic(2);
    static final float[][] X = {{1f, 2f}, {-1f, 0.5f}};
    static final float[] Y = {1f, 0f};
    static final float[] P = {0.5f, -0.25f, 0.1f};
    static final TrainingSettings ONE_STEP = new TrainingSettings(1, 0, 2, "sgd", 0.1);

    private static float[] after(TrainResult r) {
        float[] out = new float[P.length];
        for (int i = 0; i < P.length; i++) out[i] = P[i] + r.delta()[i];
        return out;
    }

    private static void close(float[] actual, double... expected) {
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(1e-6));
    }

    @Test
    @DisplayName("plain step: w − 0.1·g = [0.542335, −0.211790, 0.105167] (DL4J's minibatch gradient is the mean)")
    void plainStep() {
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            close(after(t.train(P, X, Y, ONE_STEP, 1)), 0.542335, -0.211790, 0.105167);
        }
    }

    @Test
    @DisplayName("FedProx step, μ = 0.5, anchor [0.2, 0, −0.1]: w − 0.1·(g + 0.5·(w − anchor)) = [0.527335, −0.199290, 0.095167]")
    void proximalStep() {
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            // μ·(w − anchor) = 0.5·[0.3, −0.25, 0.2] = [0.15, −0.125, 0.1]
            TrainResult r = t.train(P, X, Y, ONE_STEP, 1, SgdCorrection.proximal(0.5, new float[]{0.2f, 0f, -0.1f}));
            close(after(r), 0.527335, -0.199290, 0.095167);
            assertThat(r.steps()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("SCAFFOLD step, drift c − c_i = [0.3, −0.2, 0.05]: w − 0.1·(g + drift) = [0.512335, −0.191790, 0.100167]")
    void driftStep() {
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            close(after(t.train(P, X, Y, ONE_STEP, 1, SgdCorrection.drift(new float[]{0.3f, -0.2f, 0.05f}))),
                    0.512335, -0.191790, 0.100167);
        }
    }

    @Test
    @DisplayName("FedProx from the anchor: the first step is plain, the second is pulled back by μ·(w1 − anchor)")
    void proximalTermActsFromTheSecondStep() {
        TrainingSettings twoSteps = new TrainingSettings(0, 2, 2, "sgd", 0.1);
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            float[] plain1 = after(t.train(P, X, Y, ONE_STEP, 1));
            float[] plain2 = after(t.train(P, X, Y, twoSteps, 1));
            float[] prox2 = after(t.train(P, X, Y, twoSteps, 1, SgdCorrection.proximal(2.0, P)));
            // prox2 = w1 − 0.1·(g(w1) + 2·(w1 − P)) = plain2 − 0.2·(w1 − P)
            for (int i = 0; i < 3; i++)
                assertThat((double) prox2[i]).isCloseTo(plain2[i] - 0.2 * (plain1[i] - P[i]), within(1e-6));
        }
    }

    @Test
    @DisplayName("μ = 0 and no drift is plain training, bit for bit")
    void zeroCorrectionIsPlain() {
        SyntheticData d = SyntheticData.separable(37, 4, 5, 0.1);
        TrainingSettings s = new TrainingSettings(2, 0, 4, "sgd", 0.05);
        try (LocalTrainer t = new LocalTrainer(ModelSpec.logistic(4), 9)) {
            float[] init = t.initialParameters();
            TrainResult plain = t.train(init, d.x, d.y, s, 11);
            TrainResult corrected = t.train(init, d.x, d.y, s, 11, new SgdCorrection(0, null, new float[init.length]));
            assertThat(corrected.delta()).containsExactly(plain.delta());
        }
    }

    @Test
    void refusedWithAdamOrWrongLengths() {
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            assertThatThrownBy(() -> t.train(P, X, Y, new TrainingSettings(1, 0, 2, "adam", 0.1), 1, SgdCorrection.proximal(0.1, P)))
                    .hasMessageContaining("needs optimizer sgd");
            assertThatThrownBy(() -> t.train(P, X, Y, ONE_STEP, 1, SgdCorrection.drift(new float[2])))
                    .hasMessageContaining("drift has length 2, the model has 3");
        }
        assertThatThrownBy(() -> SgdCorrection.proximal(-1, P)).hasMessageContaining("mu must be finite and >= 0");
    }
}
