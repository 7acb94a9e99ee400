package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SequenceTrainerTest {

    private static final int STEPS = 8;
    /** One value channel plus one static feature; LSTM of 8 units; binary. */
    private static final ModelSpec BINARY = ModelSpec.lstm(1, 1, List.of(8), 0.0, 2);
    private static final TrainingSettings ADAM = TrainingSettings.ofEpochs(1, 32, "adam", 0.03);

    /**
     * Sequences of one channel, valid for a random 2..8 steps; the label is whether the value at the last valid step
     * plus the static feature is positive. Padded steps hold values drawn with the OPPOSITE sign of the label, so a
     * model that ignored the mask would be pulled the wrong way.
     */
    static SequenceData lastValueTask(int n, long seed, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][][] x = new float[n][STEPS][1];
        int[] len = new int[n];
        float[][] statics = new float[n][1];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            len[i] = 2 + rng.nextInt(STEPS - 1);
            statics[i][0] = (float) (rng.nextDouble() - 0.5);
            for (int t = 0; t < len[i]; t++) {
                x[i][t][0] = (float) (rng.nextDouble() * 4 - 2);
            }
            double z = x[i][len[i] - 1][0] + statics[i][0];
            y[i] = classes == 2 ? (z > 0 ? 1f : 0f) : (z < -0.7 ? 0f : z < 0.7 ? 1f : 2f);
            float wrong = classes == 2 ? (y[i] == 1f ? -1.5f : 1.5f) : (y[i] == 2f ? -1.5f : 1.5f);
            for (int t = len[i]; t < STEPS; t++) {
                x[i][t][0] = wrong;
            }
        }
        return new SequenceData(x, len, statics, y);
    }

    /** The same examples with different garbage in every padded step. */
    static SequenceData repad(SequenceData d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][][] x = new float[d.size()][][];
        for (int i = 0; i < d.size(); i++) {
            x[i] = new float[STEPS][];
            for (int t = 0; t < STEPS; t++) {
                x[i][t] = t < d.lengths()[i] ? d.x()[i][t].clone() : new float[] {(float) (rng.nextDouble() * 20 - 10)};
            }
        }
        return new SequenceData(x, d.lengths(), d.statics(), d.y());
    }

    private static float[] rounds(SequenceTrainer t, SequenceData d, TrainingSettings s, int rounds) {
        float[] p = t.initialParameters();
        for (int r = 0; r < rounds; r++) {
            float[] delta = t.train(p, d, s, 100 + r).delta();
            for (int i = 0; i < p.length; i++) {
                p[i] += delta[i];
            }
        }
        return p;
    }

    @Test
    void parameterCountMatchesDl4jLayout() {
        // LSTM in = 1 + 1: W [2, 32] + RW [8, 32] + b [32] = 64 + 256 + 32 = 352; output 8 * 1 + 1 = 9.
        assertThat(BINARY.parameterCount()).isEqualTo(361);
        try (SequenceTrainer t = new SequenceTrainer(BINARY, 1)) {
            assertThat(t.network().numParams()).isEqualTo(361);
            assertThat(t.initialParameters()).hasSize(361);
        }
        ModelSpec two = new ModelSpec("lstm", 3, List.of(4, 5), "tanh", 0.0, 3, 2);
        // layer 1: 5*16 + 4*16 + 16 = 160; layer 2: 4*20 + 5*20 + 20 = 200; output 5*3 + 3 = 18.
        assertThat(two.parameterCount()).isEqualTo(378);
        try (SequenceTrainer t = new SequenceTrainer(two, 1)) {
            assertThat(t.network().numParams()).isEqualTo(378);
        }
    }

    @Test
    void learnsTheLastObservedValueAndIgnoresPadding() {
        SequenceData train = lastValueTask(400, 1, 2);
        SequenceData test = lastValueTask(200, 2, 2);
        try (SequenceTrainer t = new SequenceTrainer(BINARY, 42)) {
            EvalResult before = t.evaluate(t.initialParameters(), test);
            float[] p = rounds(t, train, ADAM, 8);
            EvalResult after = t.evaluate(p, test);
            assertThat(after.accuracy()).isGreaterThan(0.9);
            assertThat(after.auroc()).isGreaterThan(0.97);
            assertThat(after.loss()).isLessThan(before.loss());

            // Padded steps must not change any prediction: same scores with different garbage after each length.
            EvalResult repadded = t.evaluate(p, repad(test, 9));
            assertThat(repadded.scores()).containsExactly(after.scores(), within(1e-6f));

            // ... and the mask is what makes that true: calling every step valid changes the predictions.
            int[] full = new int[test.size()];
            Arrays.fill(full, STEPS);
            SequenceData unmasked = new SequenceData(test.x(), full, test.statics(), test.y());
            assertThat(t.evaluate(p, unmasked).accuracy()).isLessThan(after.accuracy() - 0.2);
        }
    }

    @Test
    void multiClassSoftmaxLearnsBucketsOfTheLastValue() {
        ModelSpec spec = ModelSpec.lstm(1, 1, List.of(8), 0.0, 3);
        assertThat(spec.outputs()).isEqualTo(3);
        SequenceData train = lastValueTask(480, 3, 3);
        SequenceData test = lastValueTask(200, 4, 3);
        try (SequenceTrainer t = new SequenceTrainer(spec, 5)) {
            float[] p = rounds(t, train, ADAM, 10);
            EvalResult e = t.evaluate(p, test);
            assertThat(e.accuracy()).isGreaterThan(0.8);
            assertThat(e.auroc()).as("macro AUROC").isGreaterThan(0.9);
            assertThat(e.scores()).isNull();
            float[][] probs = t.probabilities(p, test);
            assertThat(probs[0]).hasSize(3);
            assertThat(probs[0][0] + probs[0][1] + probs[0][2]).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void sameSeedSameResultAndFreshCopies() {
        SequenceData d = lastValueTask(100, 7, 2);
        try (SequenceTrainer a = new SequenceTrainer(BINARY, 11); SequenceTrainer b = new SequenceTrainer(BINARY, 11)) {
            assertThat(a.initialParameters()).containsExactly(b.initialParameters());
            TrainResult ra = a.train(a.initialParameters(), d, ADAM, 3);
            TrainResult rb = b.train(b.initialParameters(), d, ADAM, 3);
            assertThat(ra).isEqualTo(rb);
            // A trainer's result depends only on its arguments, not on earlier calls (optimiser state reset).
            a.train(a.initialParameters(), d, TrainingSettings.ofEpochs(2, 16, "sgd", 0.1), 99);
            assertThat(a.train(a.initialParameters(), d, ADAM, 3)).isEqualTo(ra);
            // C18: the delta is a copy, not a view of the network; later calls do not change it.
            float[] kept = ra.delta().clone();
            a.train(a.initialParameters(), d, ADAM, 4);
            assertThat(ra.delta()).containsExactly(kept);
            float[] init = a.initialParameters();
            init[0] += 1;
            assertThat(a.initialParameters()[0]).isNotEqualTo(init[0]);
            // C17: one network, reused across rounds.
            var net = a.network();
            a.train(a.initialParameters(), d, ADAM, 5);
            assertThat(a.network()).isSameAs(net);
        }
        try (SequenceTrainer c = new SequenceTrainer(BINARY, 12)) {
            assertThat(c.initialParameters()).isNotEqualTo(new SequenceTrainer(BINARY, 11).initialParameters());
        }
    }

    @Test
    void parallelTrainersEqualSerial() throws Exception {
        SequenceData d1 = lastValueTask(80, 21, 2);
        SequenceData d2 = lastValueTask(80, 22, 2);
        TrainResult s1;
        TrainResult s2;
        try (SequenceTrainer t = new SequenceTrainer(BINARY, 3)) {
            s1 = t.train(t.initialParameters(), d1, ADAM, 1);
            s2 = t.train(t.initialParameters(), d2, ADAM, 2);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SequenceTrainer a = new SequenceTrainer(BINARY, 3); SequenceTrainer b = new SequenceTrainer(BINARY, 3)) {
            Future<TrainResult> f1 = pool.submit(() -> a.train(a.initialParameters(), d1, ADAM, 1));
            Future<TrainResult> f2 = pool.submit(() -> b.train(b.initialParameters(), d2, ADAM, 2));
            assertThat(f1.get()).isEqualTo(s1);
            assertThat(f2.get()).isEqualTo(s2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noDataAndBadInput() {
        try (SequenceTrainer t = new SequenceTrainer(BINARY, 1)) {
            assertThat(t.train(t.initialParameters(), SequenceData.empty(), ADAM, 1)).isEqualTo(TrainResult.noData());
            assertThat(t.fitCalls()).isZero();
            assertThat(t.evaluate(t.initialParameters(), SequenceData.empty())).isEqualTo(EvalResult.noData());
            SequenceData twoChannels = new SequenceData(new float[][][] {{{1, 2}, {3, 4}}}, new int[] {2},
                    new float[][] {{0}}, new float[] {1});
            assertThatThrownBy(() -> t.train(t.initialParameters(), twoChannels, ADAM, 1))
                    .hasMessageContaining("2 channels per step but the model has 1 inputs");
            SequenceData badLabel = new SequenceData(new float[][][] {{{1}, {3}}}, new int[] {2},
                    new float[][] {{0}}, new float[] {2});
            assertThatThrownBy(() -> t.train(t.initialParameters(), badLabel, ADAM, 1)).hasMessageContaining("y[0]");
            assertThatThrownBy(() -> t.train(new float[3], badLabel, ADAM, 1))
                    .hasMessageContaining("length 3").hasMessageContaining("361 parameters");
        }
        assertThatThrownBy(() -> new SequenceData(new float[][][] {{{1}, {Float.NaN}}}, new int[] {2},
                new float[][] {{0}}, new float[] {1})).hasMessage("x[0][1][0] is not finite");
        assertThatThrownBy(() -> new SequenceData(new float[][][] {{{1}, {2}}}, new int[] {0},
                new float[][] {{0}}, new float[] {1})).hasMessage("lengths[0] must be in [1, 2], got 0");
        assertThatThrownBy(() -> new SequenceTrainer(ModelSpec.logistic(3), 1)).hasMessageContaining("kind lstm");
        assertThatThrownBy(() -> new LocalTrainer(BINARY, 1)).hasMessageContaining("SequenceTrainer");
    }
}
