package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class LocalTrainerTest {

    private static final ModelSpec LOGISTIC = ModelSpec.logistic(5);
    private static final ModelSpec MLP = new ModelSpec("mlp", 2, List.of(16), "tanh", 0.0);

    /** Runs {@code rounds} rounds of "train from params, then add the delta" and returns the final params. */
    private static float[] trainRounds(LocalTrainer t, float[] start, SyntheticData d, TrainingSettings s, int rounds) {
        float[] params = start.clone();
        for (int r = 0; r < rounds; r++) {
            TrainResult res = t.train(params, d.x, d.y, s, 1000 + r);
            for (int i = 0; i < params.length; i++) {
                params[i] += res.delta()[i];
            }
        }
        return params;
    }

    @Test
    void logisticRegressionLearnsSeparableDataWithAdamAndSgd() {
        SyntheticData train = SyntheticData.separable(400, 5, 1, 0.2);
        SyntheticData test = SyntheticData.separable(200, 5, 1, 0.2);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 42)) {
            for (TrainingSettings s : List.of(
                    TrainingSettings.ofEpochs(5, 32, "adam", 0.05),
                    TrainingSettings.ofEpochs(5, 32, "sgd", 0.5))) {
                EvalResult before = t.evaluate(t.initialParameters(), test.x, test.y);
                float[] params = trainRounds(t, t.initialParameters(), train, s, 4);
                EvalResult after = t.evaluate(params, test.x, test.y);
                assertThat(after.accuracy()).as(s.optimizer()).isGreaterThan(0.95);
                assertThat(after.loss()).as(s.optimizer()).isLessThan(before.loss());
                assertThat(after.auroc()).as(s.optimizer()).isGreaterThan(0.98);
                assertThat(after.n()).isEqualTo(200);
                assertThat(after.scores()).hasSize(200);
            }
        }
    }

    @Test
    void mlpLearnsXor() {
        SyntheticData train = SyntheticData.xor(400, 2, 3);
        try (LocalTrainer t = new LocalTrainer(MLP, 7)) {
            EvalResult before = t.evaluate(t.initialParameters(), train.x, train.y);
            float[] params = trainRounds(t, t.initialParameters(), train,
                    TrainingSettings.ofSteps(150, 32, "adam", 0.05), 4);
            EvalResult after = t.evaluate(params, train.x, train.y);
            assertThat(after.loss()).isLessThan(before.loss());
            assertThat(after.accuracy()).isGreaterThan(0.85); // unreachable for a linear model (~0.5)
        }
    }

    @Test
    void stepsAndEpochsCountMinibatches() {
        SyntheticData d = SyntheticData.separable(50, 5, 2, 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 1)) {
            float[] p = t.initialParameters();
            // 50 rows in batches of 16 -> 4 minibatches per epoch
            TrainResult epochs = t.train(p, d.x, d.y, TrainingSettings.ofEpochs(3, 16, "sgd", 0.1), 5);
            assertThat(epochs.steps()).isEqualTo(12);
            assertThat(epochs.numExamples()).isEqualTo(50);
            assertThat(epochs.meanLoss()).isFinite().isPositive();
            long fitsBefore = t.fitCalls();
            TrainResult steps = t.train(p, d.x, d.y, TrainingSettings.ofSteps(7, 16, "sgd", 0.1), 5);
            assertThat(steps.steps()).isEqualTo(7);
            assertThat(t.fitCalls() - fitsBefore).isEqualTo(7);
            // batch larger than the data: one full batch per epoch
            assertThat(t.train(p, d.x, d.y, TrainingSettings.ofEpochs(2, 1000, "sgd", 0.1), 5).steps()).isEqualTo(2);
        }
    }

    /** C13: identical inputs and seed give bit-for-bit identical results; a different seed does not. */
    @Test
    void trainingIsDeterministic() {
        SyntheticData d = SyntheticData.separable(100, 5, 4, 0.1);
        for (String optimizer : List.of("sgd", "adam")) {
            TrainingSettings s = TrainingSettings.ofEpochs(2, 8, optimizer, 0.05);
            try (LocalTrainer a = new LocalTrainer(LOGISTIC, 9); LocalTrainer b = new LocalTrainer(LOGISTIC, 9)) {
                assertThat(Arrays.equals(a.initialParameters(), b.initialParameters())).isTrue();
                float[] p = a.initialParameters();
                TrainResult first = a.train(p, d.x, d.y, s, 77);
                TrainResult again = a.train(p, d.x, d.y, s, 77); // same trainer: no dependence on history
                TrainResult other = b.train(p, d.x, d.y, s, 77); // fresh trainer
                assertThat(Arrays.equals(first.delta(), again.delta())).as(optimizer).isTrue();
                assertThat(Arrays.equals(first.delta(), other.delta())).as(optimizer).isTrue();
                assertThat(first.meanLoss()).isEqualTo(again.meanLoss()).isEqualTo(other.meanLoss());
                TrainResult reseeded = a.train(p, d.x, d.y, s, 78);
                assertThat(Arrays.equals(first.delta(), reseeded.delta())).as(optimizer).isFalse();
            }
        }
    }

    /** Switching optimiser and learning rate between rounds leaves no trace in later rounds. */
    @Test
    void optimizerStateIsResetEveryRound() {
        SyntheticData d = SyntheticData.separable(60, 5, 5, 0.1);
        TrainingSettings adam = TrainingSettings.ofEpochs(2, 8, "adam", 0.05);
        TrainingSettings sgd = TrainingSettings.ofEpochs(2, 8, "sgd", 0.3);
        try (LocalTrainer a = new LocalTrainer(LOGISTIC, 3); LocalTrainer b = new LocalTrainer(LOGISTIC, 3)) {
            float[] p = a.initialParameters();
            TrainResult adamFresh = a.train(p, d.x, d.y, adam, 1);
            TrainResult sgdFresh = b.train(p, d.x, d.y, sgd, 1);
            TrainResult adamAfterSgd = b.train(p, d.x, d.y, adam, 1);
            TrainResult sgdAfterAdam = a.train(p, d.x, d.y, sgd, 1);
            assertThat(Arrays.equals(adamFresh.delta(), adamAfterSgd.delta())).isTrue();
            assertThat(Arrays.equals(sgdFresh.delta(), sgdAfterAdam.delta())).isTrue();
            assertThat(Arrays.equals(adamFresh.delta(), sgdFresh.delta())).isFalse();
        }
    }

    @Test
    void initialParametersDependOnSeedAndZeroSeedIsDeterministic() {
        try (LocalTrainer a = new LocalTrainer(MLP, 0); LocalTrainer b = new LocalTrainer(MLP, 0);
             LocalTrainer c = new LocalTrainer(MLP, 1)) {
            assertThat(a.initialParameters()).hasSize(MLP.parameterCount()).containsExactly(b.initialParameters());
            assertThat(Arrays.equals(a.initialParameters(), c.initialParameters())).isFalse();
        }
    }

    /** C04: no rows means no fit call, no steps and no delta. */
    @Test
    void emptyDataReturnsNoDataWithoutFitting() {
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 1)) {
            float[] p = t.initialParameters();
            float[] networkBefore = t.network().params().dup().toFloatVector();
            TrainResult r = t.train(p, new float[0][], new float[0], TrainingSettings.ofEpochs(1, 8, "adam", 0.1), 1);
            assertThat(r).isEqualTo(TrainResult.noData());
            assertThat(r.hasData()).isFalse();
            assertThat(t.fitCalls()).isZero();
            assertThat(t.network().getIterationCount()).isZero();
            assertThat(t.network().params().dup().toFloatVector()).containsExactly(networkBefore);
            EvalResult e = t.evaluate(p, new float[0][], new float[0]);
            assertThat(e.accuracy()).isNull();
            assertThat(e.auroc()).isNull();
            assertThat(t.predict(p, new float[0][])).isEmpty();
        }
    }

    @Test
    void singleClassEvaluationHasNoAuroc() {
        SyntheticData d = SyntheticData.separable(20, 5, 6, 0.1);
        float[] ones = new float[20];
        Arrays.fill(ones, 1f);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 1)) {
            EvalResult e = t.evaluate(t.initialParameters(), d.x, ones);
            assertThat(e.auroc()).isNull();
            assertThat(e.accuracy()).isNotNull();
            assertThat(e.loss()).isFinite();
            assertThat(e.scores()).containsExactly(t.predict(t.initialParameters(), d.x));
        }
    }

    @Test
    void wrongParameterLengthIsRejectedNamingBothNumbers() {
        ModelSpec spec = ModelSpec.logistic(53); // 54 parameters
        try (LocalTrainer t = new LocalTrainer(spec, 1)) {
            float[][] x = new float[2][53];
            float[] y = {0, 1};
            TrainingSettings s = TrainingSettings.ofEpochs(1, 2, "sgd", 0.1);
            assertThatThrownBy(() -> t.train(new float[53], x, y, s, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("53").hasMessageContaining("54");
            assertThatThrownBy(() -> t.evaluate(new float[55], x, y))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("55").hasMessageContaining("54");
            assertThatThrownBy(() -> t.predict(new float[53], x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("53");
        }
    }

    @Test
    void badDataShapesAreRejected() {
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 1)) {
            float[] p = t.initialParameters();
            TrainingSettings s = TrainingSettings.ofEpochs(1, 2, "sgd", 0.1);
            assertThatThrownBy(() -> t.train(p, new float[][] {new float[5], new float[4]}, new float[] {0, 1}, s, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x[1]").hasMessageContaining("4");
            assertThatThrownBy(() -> t.train(p, new float[][] {new float[5]}, new float[] {0, 1}, s, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y has length 2");
            assertThatThrownBy(() -> t.train(p, new float[][] {new float[5]}, new float[] {0.5f}, s, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y[0]");
            float[][] nan = {new float[5]};
            nan[0][2] = Float.NaN;
            assertThatThrownBy(() -> t.train(p, nan, new float[] {1}, s, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x[0][2]");
            float[] badParams = p.clone();
            badParams[3] = Float.POSITIVE_INFINITY;
            assertThatThrownBy(() -> t.train(badParams, new float[][] {new float[5]}, new float[] {1}, s, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("globalParams[3]");
        }
    }

    @Test
    void closedTrainerRejectsCalls() {
        LocalTrainer t = new LocalTrainer(LOGISTIC, 1);
        t.close();
        t.close(); // idempotent
        assertThatThrownBy(t::initialParameters).isInstanceOf(IllegalStateException.class);
    }

    /**
     * C18 pin: in DL4J 1.0.0-M2.1 {@code MultiLayerNetwork.params()} returns a VIEW of the network's
     * live parameter buffer (it changes when the network trains), so it must be copied before the
     * network is used again. If this test fails after a DL4J upgrade, re-check every params() use.
     */
    @Test
    void dl4jParamsIsALiveView() {
        MultiLayerNetwork net = NetworkFactory.build(LOGISTIC, 5);
        try {
            INDArray params = net.params();
            float[] before = params.dup().toFloatVector();
            SyntheticData d = SyntheticData.separable(16, 5, 8, 0.1);
            float[] flat = new float[16 * 5];
            for (int i = 0; i < 16; i++) {
                System.arraycopy(d.x[i], 0, flat, i * 5, 5);
            }
            net.fit(new DataSet(Nd4j.create(flat, new long[] {16, 5}, 'c'),
                    Nd4j.create(d.y, new long[] {16, 1}, 'c')));
            float[] sameReferenceAfter = params.dup().toFloatVector();
            float[] freshAfter = net.params().dup().toFloatVector();
            assertThat(Arrays.equals(before, freshAfter)).as("training changed the parameters").isFalse();
            assertThat(sameReferenceAfter).as("params() is a view: the old reference sees the update")
                    .containsExactly(freshAfter);
        } finally {
            net.close();
        }
    }

    /** C18: everything LocalTrainer hands out or takes in is copied. */
    @Test
    void returnedArraysAreIndependentCopies() {
        SyntheticData d = SyntheticData.separable(40, 5, 9, 0.1);
        TrainingSettings s = TrainingSettings.ofEpochs(1, 8, "sgd", 0.1);
        try (LocalTrainer t = new LocalTrainer(LOGISTIC, 2)) {
            float[] init = t.initialParameters();
            float[] initCopy = init.clone();
            Arrays.fill(init, 123f); // mutating the returned array must not affect the trainer
            assertThat(t.initialParameters()).containsExactly(initCopy);

            float[] global = t.initialParameters();
            float[] globalCopy = global.clone();
            TrainResult r1 = t.train(global, d.x, d.y, s, 1);
            assertThat(global).as("input params not modified").containsExactly(globalCopy);
            float[] delta1 = r1.delta().clone();
            float[] scores = t.predict(global, d.x);
            float[] scoresCopy = scores.clone();

            // further use of the trainer (which overwrites the network's buffers) leaves old results alone
            t.train(global, d.x, d.y, TrainingSettings.ofEpochs(3, 4, "adam", 0.5), 2);
            t.evaluate(new float[global.length], d.x, d.y);
            assertThat(r1.delta()).containsExactly(delta1);
            assertThat(scores).containsExactly(scoresCopy);

            // and mutating old results does not affect the trainer
            Arrays.fill(r1.delta(), 99f);
            Arrays.fill(scores, 0.5f);
            assertThat(t.train(global, d.x, d.y, s, 1).delta()).containsExactly(delta1);
            assertThat(t.predict(global, d.x)).containsExactly(scoresCopy);
        }
    }

    /** C19: two trainers on two threads give exactly the results of a serial run. */
    @Test
    void parallelTrainersMatchSerialRun() throws Exception {
        SyntheticData dataA = SyntheticData.separable(300, 5, 10, 0.1);
        SyntheticData dataB = SyntheticData.separable(250, 5, 11, 0.1);
        TrainingSettings s = TrainingSettings.ofEpochs(2, 16, "adam", 0.05);
        float[][] serial = new float[2][];
        try (LocalTrainer a = new LocalTrainer(MLP.withInputs(5), 1);
             LocalTrainer b = new LocalTrainer(MLP.withInputs(5), 1)) {
            serial[0] = trainRounds(a, a.initialParameters(), dataA, s, 5);
            serial[1] = trainRounds(b, b.initialParameters(), dataB, s, 5);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // trainers built on the worker threads too, so initialisation is also exercised concurrently
            Future<float[]> fa = pool.submit(() -> {
                try (LocalTrainer t = new LocalTrainer(MLP.withInputs(5), 1)) {
                    return trainRounds(t, t.initialParameters(), dataA, s, 5);
                }
            });
            Future<float[]> fb = pool.submit(() -> {
                try (LocalTrainer t = new LocalTrainer(MLP.withInputs(5), 1)) {
                    return trainRounds(t, t.initialParameters(), dataB, s, 5);
                }
            });
            assertThat(Arrays.equals(fa.get(), serial[0])).as("site A").isTrue();
            assertThat(Arrays.equals(fb.get(), serial[1])).as("site B").isTrue();
            assertThat(Arrays.equals(serial[0], serial[1])).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    /** C19: two sites sharing one trainer on two threads never interleave inside the network: results equal serial. */
    @Test
    void sharedTrainerOnTwoThreadsGivesTheSerialResults() throws Exception {
        SyntheticData dataA = SyntheticData.separable(300, 5, 12, 0.1);
        SyntheticData dataB = SyntheticData.separable(250, 5, 13, 0.1);
        TrainingSettings s = TrainingSettings.ofEpochs(2, 16, "adam", 0.05);
        float[] serialA, serialB, init;
        try (LocalTrainer t = new LocalTrainer(MLP.withInputs(5), 3)) {
            init = t.initialParameters();
            serialA = trainRounds(t, init, dataA, s, 5);
            serialB = trainRounds(t, init, dataB, s, 5);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (LocalTrainer shared = new LocalTrainer(MLP.withInputs(5), 3)) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Future<float[]> fa = pool.submit(() -> {
                go.await();
                return trainRounds(shared, init, dataA, s, 5);
            });
            Future<float[]> fb = pool.submit(() -> {
                go.await();
                return trainRounds(shared, init, dataB, s, 5);
            });
            go.countDown();
            assertThat(Arrays.equals(fa.get(), serialA)).as("site A on the shared trainer").isTrue();
            assertThat(Arrays.equals(fb.get(), serialB)).as("site B on the shared trainer").isTrue();
            assertThat(Arrays.equals(serialA, serialB)).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
