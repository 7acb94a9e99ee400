package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Cox partial likelihood (loss and gradient) on a 4-row example computed by hand, its gradient checked
 * numerically, one DL4J SGD step through {@link LocalTrainer} against the hand-computed gradient, and the Cox spec.
 *
 * <p>The example: times (1, 2, 2, 4), events (1, 1, 0, 1), scores (ln 2, 0, ln 3, 0), so exp(score) = (2, 1, 3, 1).
 * Breslow risk sets: row 0 (t=1) all rows, D0 = 7; row 1 (t=2) rows 1, 2, 3 (the censored row 2 tied with it
 * included), D1 = 5; row 3 (t=4) row 3 alone, D3 = 1; row 2 is censored. Terms: ln 7 − ln 2, ln 5 − 0, 0, ln 1 − 0 = 0;
 * sum ln 17.5, mean ln(17.5)/4. Gradient of the sum, exp(s_k)·Σ_{events i, t_i ≤ t_k} 1/D_i − e_k:
 * row 0: 2/7 − 1 = −5/7; row 1: (1/7 + 1/5) − 1 = −23/35; row 2: 3(1/7 + 1/5) = 36/35; row 3: (1/7 + 1/5 + 1) − 1 = 12/35.
 */
class CoxModelTest {

    private static final double[] S = {Math.log(2), 0, Math.log(3), 0};
    private static final double[] T = {1, 2, 2, 4};
    private static final double[] E = {1, 1, 0, 1};
    private static final double[] HAND_GRADIENT = {-5.0 / 7, -23.0 / 35, 36.0 / 35, 12.0 / 35};

    @Test
    void termsAndMeanMatchTheHandComputation() {
        double[] terms = CoxPartialLikelihood.terms(S, T, E);
        assertThat(terms[0]).isCloseTo(Math.log(3.5), within(1e-12));
        assertThat(terms[1]).isCloseTo(Math.log(5), within(1e-12));
        assertThat(terms[2]).isEqualTo(0.0);
        assertThat(terms[3]).isCloseTo(0.0, within(1e-12));
        assertThat(CoxPartialLikelihood.meanLoss(S, T, E)).isCloseTo(Math.log(17.5) / 4, within(1e-12));
    }

    @Test
    void gradientMatchesTheHandComputationAndFiniteDifferences() {
        double[] g = CoxPartialLikelihood.gradientOfSum(S, T, E);
        for (int k = 0; k < 4; k++) {
            assertThat(g[k]).as("row %d", k).isCloseTo(HAND_GRADIENT[k], within(1e-12));
        }
        double h = 1e-6;
        for (int k = 0; k < 4; k++) {
            double[] up = S.clone();
            double[] down = S.clone();
            up[k] += h;
            down[k] -= h;
            double numeric = (sum(CoxPartialLikelihood.terms(up, T, E)) - sum(CoxPartialLikelihood.terms(down, T, E))) / (2 * h);
            assertThat(g[k]).as("row %d", k).isCloseTo(numeric, within(1e-7));
        }
        assertThat(sum(g)).isCloseTo(0.0, within(1e-12));   // a common shift of all scores changes nothing
    }

    @Test
    void largeScoresDoNotOverflow() {
        double[] s = {800, 799, 801, 0};
        double[] g = CoxPartialLikelihood.gradientOfSum(s, T, E);
        double[] terms = CoxPartialLikelihood.terms(s, T, E);
        for (int k = 0; k < 4; k++) {
            assertThat(Double.isFinite(g[k]) && Double.isFinite(terms[k])).isTrue();
        }
        // shifting every score by 800 gives the same loss as the shifted-down scores
        double[] shifted = {0, -1, 1, -800};
        assertThat(sum(terms)).isCloseTo(sum(CoxPartialLikelihood.terms(shifted, T, E)), within(1e-9));
    }

    @Test
    void tiedEventsShareTheirRiskSet() {
        // two events at t=1 and a censored row at t=3, all scores 0: both events' risk sets hold all 3 rows (Breslow)
        double[] terms = CoxPartialLikelihood.terms(new double[] {0, 0, 0}, new double[] {1, 1, 3}, new double[] {1, 1, 0});
        assertThat(terms[0]).isCloseTo(Math.log(3), within(1e-12));
        assertThat(terms[1]).isCloseTo(Math.log(3), within(1e-12));
        assertThat(terms[2]).isEqualTo(0.0);
    }

    @Test
    void oneDl4jSgdStepFollowsTheHandGradient() {
        // two inputs, weights (1, 0): the risk score of a row is its first feature, so the scores are S
        float[][] x = {
                {(float) Math.log(2), 1f},
                {0f, -1f},
                {(float) Math.log(3), 0.5f},
                {0f, 2f}};
        float[] events = {1, 1, 0, 1};
        float[] times = {1, 2, 2, 4};
        ModelSpec spec = new ModelSpec(ModelSpec.COX, 2, List.of(), "relu", 0.0);
        double lr = 0.1;
        try (LocalTrainer trainer = new LocalTrainer(spec, 7)) {
            float[] w = {1f, 0f};
            TrainResult r = trainer.train(w, x, events, times, TrainingSettings.ofSteps(1, 4, "sgd", lr), 3);
            for (int c = 0; c < 2; c++) {
                double grad = 0;
                for (int k = 0; k < 4; k++) grad += HAND_GRADIENT[k] * x[k][c];
                grad /= 4;   // the loss is the mean over the batch
                assertThat((double) r.delta()[c]).as("weight %d", c).isCloseTo(-lr * grad, within(2e-6));
            }
            assertThat(r.meanLoss()).isCloseTo(Math.log(17.5) / 4, within(1e-5));

            EvalResult e = trainer.evaluate(w, x, events, times);
            assertThat(e.loss()).isCloseTo(Math.log(17.5) / 4, within(1e-5));
            assertThat(e.auroc()).isNull();
            // risks (ln2, 0, ln3, 0). Comparable pairs: (0,1) concordant, (0,2) discordant, (0,3) concordant, (1,2) with
            // the censored row 2 tied in time discordant, (1,3) tied risk: (2 + 0.5) / 5
            assertThat(e.cIndex()).isCloseTo(0.5, within(1e-12));
        }
    }

    @Test
    void coxSpecHasOneWeightPerInputAndNoHiddenLayers() {
        ModelSpec spec = ModelSpec.fromMap(java.util.Map.of("kind", "cox", "inputs", 39));
        assertThat(spec.parameterCount()).isEqualTo(39);
        assertThat(spec.survival()).isTrue();
        assertThat(ModelSpec.logistic(3).survival()).isFalse();
        assertThatThrownBy(() -> new ModelSpec("cox", 3, List.of(4), "relu", 0.0))
                .hasMessageContaining("hidden must be empty for kind cox");
        try (LocalTrainer trainer = new LocalTrainer(spec, 1)) {
            assertThat(trainer.initialParameters()).hasSize(39);
        }
    }

    @Test
    void survivalTimesAreRequiredForCoxAndRefusedOtherwise() {
        float[][] x = {{1f, 2f}, {0f, 1f}};
        float[] y = {1, 0};
        try (LocalTrainer cox = new LocalTrainer(new ModelSpec(ModelSpec.COX, 2, List.of(), "relu", 0.0), 1);
             LocalTrainer logistic = new LocalTrainer(ModelSpec.logistic(2), 1)) {
            TrainingSettings s = TrainingSettings.ofSteps(1, 2, "sgd", 0.1);
            assertThatThrownBy(() -> cox.train(new float[2], x, y, s, 1)).hasMessageContaining("needs survival times");
            assertThatThrownBy(() -> cox.train(new float[2], x, y, new float[] {1f, -1f}, s, 1))
                    .hasMessageContaining("time[1] must be finite and >= 0");
            assertThatThrownBy(() -> logistic.train(new float[3], x, y, new float[] {1f, 2f}, s, 1))
                    .hasMessageContaining("not a survival model");
            assertThatThrownBy(() -> cox.trainDp(new float[2], x, y, s, new DpSgdSettings(1.0, 1.0, "shuffle"), 1))
                    .hasMessageContaining("DP-SGD is not available for kind cox");
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s;
    }
}
