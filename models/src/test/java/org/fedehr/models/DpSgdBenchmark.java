package org.fedehr.models;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wall-time cost of DP-SGD (per-row gradients + clipping + noise) against plain SGD, one epoch, after warm-up, in
 * one JVM. Not a regular test: {@code -Dfedehr.bench=true}. Reports the median of repeated epochs.
 */
class DpSgdBenchmark {

    @Test
    void dpVersusPlainEpoch() {
        assumeTrue(Boolean.getBoolean("fedehr.bench"), "benchmark: run with -Dfedehr.bench=true");
        // heart disease shape: logistic regression over the harmonised width (16 inputs), ~200 rows, batch 4
        measure("logistic 16->1, 200 rows, batch 4", ModelSpec.logistic(16), SyntheticData.separable(200, 16, 1, 0.1), 4, 40);
        measure("mlp 13->64->64->1, 1000 rows, batch 32", new ModelSpec("mlp", 13, List.of(64, 64), "relu", 0.0),
                SyntheticData.xor(1000, 13, 2), 32, 8);
    }

    private static void measure(String name, ModelSpec spec, SyntheticData d, int batch, int reps) {
        TrainingSettings s = TrainingSettings.ofEpochs(1, batch, "sgd", 0.05);
        DpSgdSettings dp = DpSgdSettings.poisson(1.0, 1.0);
        try (LocalTrainer t = new LocalTrainer(spec, 1)) {
            float[] p = t.initialParameters();
            for (int i = 0; i < reps; i++) { // warm-up
                t.train(p, d.x, d.y, s, i);
                t.trainDp(p, d.x, d.y, s, dp, i);
            }
            double[] plain = new double[reps];
            double[] priv = new double[reps];
            double[] quiet = new double[reps];
            double[] viaDl4j = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                t.train(p, d.x, d.y, s, 100 + i);
                long t1 = System.nanoTime();
                t.trainDp(p, d.x, d.y, s, dp, 100 + i);
                long t2 = System.nanoTime();
                t.trainDp(p, d.x, d.y, s, dp.withNoiseMultiplier(0), 100 + i);
                long t3 = System.nanoTime();
                t.dl4jPerExampleGradients(true);
                t.trainDp(p, d.x, d.y, s, dp, 100 + i);
                t.dl4jPerExampleGradients(false);
                long t4 = System.nanoTime();
                viaDl4j[i] = (t4 - t3) / 1e6;
                plain[i] = (t1 - t0) / 1e6;
                priv[i] = (t2 - t1) / 1e6;
                quiet[i] = (t3 - t2) / 1e6;
            }
            double mp = median(plain);
            double md = median(priv);
            double mq = median(quiet);
            double mj = median(viaDl4j);
            System.out.printf("BENCH %s: plain %.2f ms/epoch | DP-SGD (Java per-row) %.2f ms/epoch = %.3fx plain (σ=0: %.2f ms, %.3fx)"
                    + " | DP-SGD (DL4J batch-of-1 per row) %.2f ms/epoch = %.1fx plain | %d params%n",
                    name, mp, md, md / mp, mq, mq / mp, mj, mj / mp, spec.parameterCount());
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
