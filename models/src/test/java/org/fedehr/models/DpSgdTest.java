package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DP-SGD in {@link LocalTrainer#trainDp}: per-row gradients, clipping, noise on every coordinate, sampling. */
class DpSgdTest {

    private static final ModelSpec LOGISTIC = ModelSpec.logistic(5);
    private static final ModelSpec LOGISTIC_L2 = new ModelSpec("logistic", 5, List.of(), "relu", 0.05);
    private static final ModelSpec MLP = new ModelSpec("mlp", 13, List.of(64, 64), "relu", 0.0);
    private static final ModelSpec MLP_TANH_L2 = new ModelSpec("mlp", 5, List.of(8), "tanh", 0.01);

    /** Parameters away from the initialisation, so that gradients are not special. */
    private static float[] perturbed(LocalTrainer t, long seed) {
        float[] p = t.initialParameters();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (r.nextDouble() - 0.5) * 0.4f;
        }
        return p;
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void perExampleGradientEqualsTheClosedFormAndADl4jFitOnABatchOfOne() {
        SyntheticData d = SyntheticData.separable(20, 5, 3, 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 7)) {
            float[] p = perturbed(t, 1);
            for (int r = 0; r < d.x.length; r++) {
                float[] g = t.perExampleGradient(p, d.x[r], d.y[r]);
                // closed form for logistic regression with cross-entropy: (sigmoid(w.x + b) - y) * [x, 1]
                double z = p[5];
                for (int j = 0; j < 5; j++) {
                    z += p[j] * d.x[r][j];
                }
                double err = 1 / (1 + Math.exp(-z)) - d.y[r];
                for (int j = 0; j < 5; j++) {
                    assertThat((double) g[j]).isCloseTo(err * d.x[r][j], org.assertj.core.data.Offset.offset(1e-5));
                }
                assertThat((double) g[5]).isCloseTo(err, org.assertj.core.data.Offset.offset(1e-5));
                // DL4J's own step on this one row: delta = -lr * gradient
                TrainResult fit = t.train(p, new float[][] {d.x[r]}, new float[] {d.y[r]},
                        TrainingSettings.ofSteps(1, 1, "sgd", 0.5), 1);
                for (int i = 0; i < g.length; i++) {
                    assertThat((double) fit.delta()[i]).isCloseTo(-0.5 * g[i], org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
        SyntheticData m = SyntheticData.xor(10, 13, 4);
        try (LocalTrainer t = new LocalTrainer(MLP, 7)) {
            float[] p = perturbed(t, 2);
            for (int r = 0; r < m.x.length; r++) {
                float[] g = t.perExampleGradient(p, m.x[r], m.y[r]);
                TrainResult fit = t.train(p, new float[][] {m.x[r]}, new float[] {m.y[r]},
                        TrainingSettings.ofSteps(1, 1, "sgd", 0.1), 1);
                for (int i = 0; i < g.length; i++) {
                    assertThat((double) fit.delta()[i]).isCloseTo(-0.1 * g[i], org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        }
    }

    @Test
    void javaPerRowGradientEqualsDl4jBackwardPassOnABatchOfOne() {
        record Case(ModelSpec spec, SyntheticData data) { }
        for (Case c : List.of(
                new Case(LOGISTIC, SyntheticData.separable(40, 5, 15, 0.1)),
                new Case(LOGISTIC_L2, SyntheticData.separable(40, 5, 16, 0.1)),
                new Case(MLP_TANH_L2, SyntheticData.xor(40, 5, 17)),
                new Case(new ModelSpec("mlp", 4, List.of(7, 3), "tanh", 0.0), SyntheticData.xor(40, 4, 18)),
                new Case(MLP, SyntheticData.xor(40, 13, 19)))) {
            try (LocalTrainer t = new LocalTrainer(c.spec(), 13)) {
                DenseGradients dense = new DenseGradients(c.spec());
                double[] g = new double[c.spec().parameterCount()];
                for (long seed : new long[] {6, 7}) {
                    float[] p = perturbed(t, seed);
                    for (int r = 0; r < c.data().x.length; r++) {
                        float[] ref = t.perExampleGradient(p, c.data().x[r], c.data().y[r]);
                        double refLoss = t.network().score();
                        double loss = dense.gradient(p, c.data().x[r], c.data().y[r], g);
                        assertThat(loss).as(c.spec() + " loss row " + r).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-5));
                        for (int i = 0; i < g.length; i++) {
                            assertThat(g[i]).as(c.spec() + " row " + r + " [" + i + "]")
                                    .isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(ref[i]))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void bothPerRowMethodsGiveTheSameDpTraining() {
        SyntheticData m = SyntheticData.xor(60, 5, 20);
        try (LocalTrainer t = new LocalTrainer(MLP_TANH_L2, 3)) {
            float[] p = perturbed(t, 8);
            TrainingSettings s = TrainingSettings.ofEpochs(2, 6, "sgd", 0.2);
            DpSgdSettings quiet = DpSgdSettings.poisson(0.3, 0);
            DpTrainResult java = t.trainDp(p, m.x, m.y, s, quiet, 4);
            t.dl4jPerExampleGradients(true);
            DpTrainResult dl4j = t.trainDp(p, m.x, m.y, s, quiet, 4);
            t.dl4jPerExampleGradients(false);
            assertThat(java.sampledRows()).isEqualTo(dl4j.sampledRows());
            assertThat(java.clippedRows()).isEqualTo(dl4j.clippedRows()).isPositive();
            assertThat(java.result().meanLoss()).isCloseTo(dl4j.result().meanLoss(), org.assertj.core.data.Offset.offset(1e-5));
            for (int i = 0; i < p.length; i++) {
                assertThat((double) java.result().delta()[i]).isCloseTo(dl4j.result().delta()[i], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void clippedPerExampleGradientsHaveNormAtMostC() {
        SyntheticData m = SyntheticData.xor(60, 13, 5);
        try (LocalTrainer t = new LocalTrainer(MLP, 7)) {
            float[] p = perturbed(t, 3);
            int clippedCount = 0;
            for (double c : new double[] {0.05, 0.5, 2.0}) {
                for (int r = 0; r < m.x.length; r++) {
                    float[] g = t.perExampleGradient(p, m.x[r], m.y[r]);
                    double[] clipped = new double[g.length];
                    double before = LocalTrainer.clipAndAdd(g, c, clipped);
                    assertThat(before).isCloseTo(norm(g), org.assertj.core.data.Offset.offset(1e-9));
                    double after = 0;
                    for (double v : clipped) {
                        after += v * v;
                    }
                    after = Math.sqrt(after);
                    assertThat(after).isLessThanOrEqualTo(c * (1 + 1e-12));
                    if (before > c) {
                        clippedCount++;
                        assertThat(after).isCloseTo(c, org.assertj.core.data.Offset.offset(1e-9 * c));
                    } else {
                        for (int i = 0; i < g.length; i++) {
                            assertThat(clipped[i]).isEqualTo((double) g[i]); // small gradients are untouched
                        }
                    }
                }
            }
            assertThat(clippedCount).as("some gradients were actually clipped").isGreaterThan(10);
        }
    }

    @Test
    void withoutNoiseAndAHugeClipNormOneStepEqualsDl4jSgdOnTheSameBatch() {
        record Case(ModelSpec spec, SyntheticData data) { }
        for (Case c : List.of(
                new Case(LOGISTIC, SyntheticData.separable(8, 5, 6, 0.1)),
                new Case(LOGISTIC_L2, SyntheticData.separable(8, 5, 7, 0.1)),
                new Case(MLP_TANH_L2, SyntheticData.xor(8, 5, 8)),
                new Case(MLP, SyntheticData.xor(8, 13, 9)))) {
            try (LocalTrainer t = new LocalTrainer(c.spec(), 11)) {
                float[] p = perturbed(t, 4);
                TrainingSettings one = TrainingSettings.ofSteps(1, 8, "sgd", 0.3);
                TrainResult plain = t.train(p, c.data().x, c.data().y, one, 5);
                for (String sampling : List.of(DpSgdSettings.POISSON, DpSgdSettings.SHUFFLE, "dl4j")) {
                    t.dl4jPerExampleGradients("dl4j".equals(sampling));
                    sampling = "dl4j".equals(sampling) ? DpSgdSettings.POISSON : sampling;
                    // batch 8 of 8 rows: poisson has q = 1 and divides by q*n = 8, shuffle by the batch size 8
                    DpTrainResult dp = t.trainDp(p, c.data().x, c.data().y, one, new DpSgdSettings(1e9, 0, sampling), 5);
                    assertThat(dp.sampledRows()).isEqualTo(8);
                    assertThat(dp.clippedRows()).isZero();
                    for (int i = 0; i < p.length; i++) {
                        assertThat((double) dp.result().delta()[i]).as(c.spec().kind() + " l2 " + c.spec().l2() + " " + sampling + " [" + i + "]")
                                .isCloseTo(plain.delta()[i], org.assertj.core.data.Offset.offset(1e-5));
                    }
                }
                // and the mean of the per-row gradients is DL4J's own batch gradient
                INDArray features = Nd4j.create(flatten(c.data().x), new long[] {8, c.spec().inputs()}, 'c');
                INDArray labels = Nd4j.create(c.data().y, new long[] {8, 1}, 'c');
                double[] sum = new double[p.length];
                for (int r = 0; r < 8; r++) {
                    LocalTrainer.clipAndAdd(t.perExampleGradient(p, c.data().x[r], c.data().y[r]), 1e9, sum);
                }
                t.network().setParams(Nd4j.create(p, new long[] {1, p.length}, 'c'));
                t.network().setInput(features);
                t.network().setLabels(labels);
                t.network().computeGradientAndScore();
                float[] batchGrad = t.network().gradient().gradient().dup().data().asFloat();
                double scale = dl4jGradientScale(batchGrad, sum);
                assertThat(scale).as("DL4J's batch gradient is the sum (1) or the mean (1/8)").isIn(1.0, 1.0 / 8);
                for (int i = 0; i < p.length; i++) {
                    assertThat((double) batchGrad[i]).isCloseTo(sum[i] * scale, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    private static double dl4jGradientScale(float[] batch, double[] sum) {
        int best = 0;
        for (int i = 1; i < sum.length; i++) {
            if (Math.abs(sum[i]) > Math.abs(sum[best])) {
                best = i;
            }
        }
        double ratio = batch[best] / sum[best];
        return Math.abs(ratio - 1) < 1e-3 ? 1.0 : Math.abs(ratio - 0.125) < 1e-3 ? 0.125 : ratio;
    }

    private static float[] flatten(float[][] x) {
        float[] f = new float[x.length * x[0].length];
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, f, r * x[0].length, x[0].length);
        }
        return f;
    }

    /**
     * Checks that {@code noisy - clean} (one DP step from the same parameters and batch, with and without noise)
     * carries Gaussian noise of standard deviation {@code expectedStd} on EVERY coordinate: no coordinate is
     * unchanged, and the standardised differences have mean about 0 and variance about 1.
     */
    static void assertNoiseOnEveryCoordinate(float[] noisy, float[] clean, double expectedStd) {
        int n = noisy.length;
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) noisy[i] - clean[i];
            if (d == 0) {
                throw new AssertionError("coordinate " + i + " of " + n + " received no noise");
            }
            double s = d / expectedStd;
            mean += s;
            sq += s * s;
        }
        mean /= n;
        double var = sq / n - mean * mean;
        if (Math.abs(mean) > 6 / Math.sqrt(n) || Math.abs(var - 1) > 6 * Math.sqrt(2.0 / n)) {
            throw new AssertionError("noise has mean " + mean + " and variance " + var + " in units of the expected std");
        }
    }

    /** A broken noise source that leaves every {@code every}-th coordinate without noise. */
    private static GaussianNoise skipping(GaussianNoise inner, int every) {
        return out -> {
            inner.fill(out);
            for (int i = 0; i < out.length; i += every) {
                out[i] = 0;
            }
        };
    }

    @Test
    void noiseReachesEveryCoordinateAndABrokenSourceIsCaught() {
        SyntheticData m = SyntheticData.xor(40, 13, 10);
        try (LocalTrainer t = new LocalTrainer(MLP, 7)) {
            float[] p = perturbed(t, 5);
            TrainingSettings one = TrainingSettings.ofSteps(1, 4, "sgd", 1.0);
            double sigma = 10;
            double clip = 1;
            DpTrainResult clean = t.trainDp(p, m.x, m.y, one, DpSgdSettings.poisson(clip, 0), 77);
            DpTrainResult noisy = t.trainDp(p, m.x, m.y, one, DpSgdSettings.poisson(clip, sigma), 77);
            // per coordinate: lr * sigma * C / (q * n), with q * n = the batch size 4
            double std = 1.0 * sigma * clip / 4;
            assertNoiseOnEveryCoordinate(noisy.result().delta(), clean.result().delta(), std);

            DpTrainResult broken = t.trainDp(p, m.x, m.y, one, DpSgdSettings.poisson(clip, sigma), 77,
                    skipping(GaussianNoise.secure(), 1000));
            assertThatThrownBy(() -> assertNoiseOnEveryCoordinate(broken.result().delta(), clean.result().delta(), std))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("received no noise");
            // a source with the wrong scale is caught too
            DpTrainResult weak = t.trainDp(p, m.x, m.y, one, DpSgdSettings.poisson(clip, sigma), 77,
                    out -> { GaussianNoise.secure().fill(out); for (int i = 0; i < out.length; i++) out[i] *= 0.5; });
            assertThatThrownBy(() -> assertNoiseOnEveryCoordinate(weak.result().delta(), clean.result().delta(), std))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("variance");
        }
        // an empty Poisson batch (q * n = 1 of 200 rows, so often nothing) still adds noise everywhere
        SyntheticData d = SyntheticData.separable(200, 5, 11, 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 7)) {
            float[] p = t.initialParameters();
            TrainingSettings many = TrainingSettings.ofSteps(20, 1, "sgd", 0.1);
            DpTrainResult a = t.trainDp(p, d.x, d.y, many, DpSgdSettings.poisson(1, 1), 3);
            DpTrainResult b = t.trainDp(p, d.x, d.y, many, DpSgdSettings.poisson(1, 0), 3);
            for (int i = 0; i < p.length; i++) {
                assertThat(a.result().delta()[i]).as("coordinate " + i).isNotEqualTo(b.result().delta()[i]);
            }
        }
    }

    @Test
    void poissonSamplingKeepsEachRowWithRateQ() {
        SyntheticData d = SyntheticData.separable(200, 5, 12, 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 7)) {
            TrainingSettings s = TrainingSettings.ofSteps(600, 4, "sgd", 0.01);
            DpTrainResult r = t.trainDp(t.initialParameters(), d.x, d.y, s, DpSgdSettings.poisson(1, 0), 21);
            assertThat(r.samplingRate()).isEqualTo(0.02);
            assertThat(r.steps()).isEqualTo(600);
            double expected = 600 * 200 * 0.02; // 2400, standard deviation about 48.5
            assertThat((double) r.sampledRows()).isBetween(expected - 5 * 48.5, expected + 5 * 48.5);
            // epochs: ceil(n / batch) steps per epoch, like non-private training
            DpTrainResult e = t.trainDp(t.initialParameters(), d.x, d.y, TrainingSettings.ofEpochs(2, 4, "sgd", 0.01),
                    DpSgdSettings.poisson(1, 0), 21);
            assertThat(e.steps()).isEqualTo(100);
            assertThat(e.result().numExamples()).isEqualTo(200);
        }
    }

    @Test
    void everythingButTheNoiseIsDeterministic() {
        SyntheticData d = SyntheticData.separable(100, 5, 13, 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC_L2, 7)) {
            float[] p = t.initialParameters();
            TrainingSettings s = TrainingSettings.ofEpochs(1, 4, "sgd", 0.1);
            for (String sampling : List.of(DpSgdSettings.POISSON, DpSgdSettings.SHUFFLE)) {
                DpSgdSettings quiet = new DpSgdSettings(0.5, 0, sampling);
                DpTrainResult a = t.trainDp(p, d.x, d.y, s, quiet, 9);
                t.train(p, d.x, d.y, s, 1); // unrelated call in between
                DpTrainResult b = t.trainDp(p, d.x, d.y, s, quiet, 9);
                assertThat(b).isEqualTo(a);
                DpTrainResult other = t.trainDp(p, d.x, d.y, s, quiet, 10);
                assertThat(other.result().delta()).isNotEqualTo(a.result().delta());
                DpSgdSettings loud = new DpSgdSettings(0.5, 1.0, sampling);
                DpTrainResult n1 = t.trainDp(p, d.x, d.y, s, loud, 9);
                DpTrainResult n2 = t.trainDp(p, d.x, d.y, s, loud, 9);
                assertThat(n2.sampledRows()).isEqualTo(n1.sampledRows()).isEqualTo(a.sampledRows());
                assertThat(n2.result().delta()).as("the noise is fresh on every call").isNotEqualTo(n1.result().delta());
            }
        }
    }

    @Test
    void nonPrivateTrainingIsUnaffectedAndSettingsAreValidated() {
        SyntheticData d = SyntheticData.separable(50, 5, 14, 0.1);
        TrainingSettings s = TrainingSettings.ofEpochs(2, 4, "sgd", 0.1);
        TrainResult before;
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 7)) {
            before = t.train(t.initialParameters(), d.x, d.y, s, 3);
        }
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 7)) {
            t.trainDp(t.initialParameters(), d.x, d.y, s, DpSgdSettings.poisson(1, 1), 3);
            assertThat(t.train(t.initialParameters(), d.x, d.y, s, 3)).isEqualTo(before);
            assertThatThrownBy(() -> t.trainDp(t.initialParameters(), d.x, d.y, TrainingSettings.ofEpochs(1, 4, "adam", 0.1),
                    DpSgdSettings.poisson(1, 1), 3)).hasMessageContaining("optimizer sgd");
            assertThat(t.trainDp(t.initialParameters(), new float[0][], new float[0], s, DpSgdSettings.poisson(1, 1), 3)
                    .result().hasData()).isFalse();
        }
        assertThatThrownBy(() -> DpSgdSettings.poisson(0, 1)).hasMessageContaining("clipNorm");
        assertThatThrownBy(() -> DpSgdSettings.poisson(1, -1)).hasMessageContaining("noiseMultiplier");
        assertThatThrownBy(() -> new DpSgdSettings(1, 1, "uniform")).hasMessageContaining("sampling");
        assertThat(DpSgdSettings.fromMap(Map.of("clipNorm", 1.0, "noiseMultiplier", 1.1)))
                .isEqualTo(new DpSgdSettings(1.0, 1.1, "poisson"));
        assertThatThrownBy(() -> DpSgdSettings.fromMap(Map.of("clipNorm", 1.0))).hasMessageContaining("noiseMultiplier");
        assertThatThrownBy(() -> DpSgdSettings.fromMap(Map.of("clipNorm", 1.0, "noiseMultiplier", 1.0, "eps", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightMaskMarksWeightsNotBiases() {
        try (LocalTrainer t = new LocalTrainer(new ModelSpec("mlp", 3, List.of(2), "relu", 0.1), 1)) {
            boolean[] m = t.weightMask();
            assertThat(Arrays.toString(m)).isEqualTo(Arrays.toString(new boolean[] {
                    true, true, true, true, true, true, false, false, true, true, false}));
            assertThat(t.network().paramTable().keySet()).containsExactly("0_W", "0_b", "1_W", "1_b");
        }
    }
}
