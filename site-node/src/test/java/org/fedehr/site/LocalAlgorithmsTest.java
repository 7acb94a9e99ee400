package org.fedehr.site;

import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.msg.LocalAlgorithm;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The site's side of SCAFFOLD, FedProx and Ditto on a tiny logistic model, by hand. Parameters [w1, w2, b] =
 * x = [0.5, −0.25, 0.1]; rows [1, 2] (y = 1) and [−1, 0.5] (y = 0); one SGD step over both rows at lr 0.1 (K = 1). The
 * mean cross-entropy gradient at x is g = [−0.423352, −0.382100, −0.051669] (see SgdCorrectionTest in models).
 */
class LocalAlgorithmsTest {
    static final ModelSpec SPEC = ModelSpec.logistic(2);
    static final float[][] X = {{1f, 2f}, {-1f, 0.5f}};
    static final float[] Y = {1f, 0f};
    static final float[] P = {0.5f, -0.25f, 0.1f};
    static final TrainingSettings ONE_STEP = new TrainingSettings(1, 0, 2, "sgd", 0.1);
    static final double[] G = {-0.423352, -0.382100, -0.051669};
    final UUID run = UUID.randomUUID();

    private TaskInstruction train(int round, LocalAlgorithm a, int length) {
        return new TaskInstruction(run, round, round, TaskKind.TRAIN, "d", "{}", round - 1, length,
                new TrainingPlan(1, 0, 2, "sgd", 0.1), 7, 0, null, a);
    }

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(2e-6));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    @DisplayName("SCAFFOLD: c = [0.3, −0.2, 0.05], c_i = 0 -> y = x − 0.1·(g + c); option II gives c_i⁺ = g (K = 1); round 2 steps by −0.1·c")
    void scaffoldTwoRounds() {
        LocalAlgorithms alg = new LocalAlgorithms();
        float[] c = {0.3f, -0.2f, 0.05f};
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            TrainResult r1 = alg.train(train(1, LocalAlgorithm.scaffold(), 6), concat(P, c), t, X, Y, ONE_STEP);
            // Δy = −0.1·(g + c) = −0.1·[−0.123352, −0.582100, −0.001669] = [0.0123352, 0.0582100, 0.0001669]
            // c_i⁺ = c_i − c + (x − y)/(K·lr) = −c − Δy/0.1 = −c + g + c = g;  Δc = c_i⁺ − c_i = g
            close(r1.delta(), 0.0123352, 0.0582100, 0.0001669, G[0], G[1], G[2]);
            close(alg.controlVariate(), G);
            // round 2 from the same [x | c]: the step is g − c_i + c = g − g + c = c, so Δy = −0.1·c, and c_i stays g
            TrainResult r2 = alg.train(train(2, LocalAlgorithm.scaffold(), 6), concat(P, c), t, X, Y, ONE_STEP);
            close(r2.delta(), -0.03, 0.02, -0.005, 0, 0, 0);
            close(alg.controlVariate(), G);
            // evaluation uses x, not [x | c]
            assertThat(alg.evaluationModel(train(2, LocalAlgorithm.scaffold(), 6), concat(P, c), 3)).containsExactly(P);
        }
    }

    @Test
    @DisplayName("SCAFFOLD's control variate starts afresh in a new run")
    void scaffoldStateIsPerRun() {
        LocalAlgorithms alg = new LocalAlgorithms();
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            alg.train(train(1, LocalAlgorithm.scaffold(), 6), concat(P, new float[3]), t, X, Y, ONE_STEP);
            assertThat(alg.controlVariate()).isNotNull();
            TaskInstruction other = new TaskInstruction(UUID.randomUUID(), 1, 1, TaskKind.EVALUATE, "d", "{}", 1, 6, null, 7, 0,
                    null, LocalAlgorithm.scaffold());
            alg.evaluationModel(other, concat(P, new float[3]), 3);
            assertThat(alg.controlVariate()).isNull();
            assertThatThrownBy(() -> alg.train(train(1, LocalAlgorithm.scaffold(), 3), P, t, X, Y, ONE_STEP))
                    .hasMessageContaining("global vector has 3 values, expected 6");
        }
    }

    @Test
    @DisplayName("FedProx at the site: the proximal anchor is the round's global model")
    void fedProx() {
        LocalAlgorithms alg = new LocalAlgorithms();
        TrainingSettings two = new TrainingSettings(0, 2, 2, "sgd", 0.1);
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            TaskInstruction ins = new TaskInstruction(run, 1, 1, TaskKind.TRAIN, "d", "{}", 0, 3, new TrainingPlan(0, 2, 2, "sgd", 0.1),
                    7, 0, null, LocalAlgorithm.fedProx(2.0));
            float[] one = t.train(P, X, Y, ONE_STEP, 7).delta();
            float[] plain2 = t.train(P, X, Y, two, 7).delta();
            float[] prox2 = alg.train(ins, P, t, X, Y, two).delta();
            // step 1 is plain (w = anchor); step 2 subtracts 0.1·2·(w1 − P) = 0.2·Δ1
            for (int i = 0; i < 3; i++) assertThat((double) prox2[i]).isCloseTo(plain2[i] - 0.2 * one[i], within(1e-6));
        }
    }

    @Test
    @DisplayName("Ditto: the update is plain training; the personal model v is pulled towards the round's global by λ")
    void ditto() {
        LocalAlgorithms alg = new LocalAlgorithms();
        LocalAlgorithm d = LocalAlgorithm.ditto(0.5);
        try (LocalTrainer t = new LocalTrainer(SPEC, 3)) {
            TrainResult r1 = alg.train(train(1, d, 3), P, t, X, Y, ONE_STEP);
            close(r1.delta(), -0.1 * G[0], -0.1 * G[1], -0.1 * G[2]);   // plain step
            // v starts at the global P = anchor: its first step is the plain one too
            float[] v1 = alg.personalModel();
            close(v1, P[0] - 0.1 * G[0], P[1] - 0.1 * G[1], P[2] - 0.1 * G[2]);
            // round 2: new global G2; v2 = v1 − 0.1·(∇F(v1) + 0.5·(v1 − G2)) = plainStep(v1) − 0.05·(v1 − G2)
            float[] g2 = {0.2f, 0f, -0.1f};
            float[] plainFromV1 = t.train(v1, X, Y, ONE_STEP, 1).delta();
            alg.train(train(2, d, 3), g2, t, X, Y, ONE_STEP);
            float[] v2 = alg.personalModel();
            for (int i = 0; i < 3; i++)
                assertThat((double) v2[i]).isCloseTo(v1[i] + plainFromV1[i] - 0.05 * (v1[i] - g2[i]), within(1e-6));
            // evaluation uses the personal model
            assertThat(alg.evaluationModel(train(2, d, 3), g2, 3)).containsExactly(v2);
        }
    }
}
