package org.fedehr.models;

import java.util.SplittableRandom;

/** Seeded synthetic binary-classification data for tests. */
final class SyntheticData {

    final float[][] x;
    final float[] y;

    private SyntheticData(float[][] x, float[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * Linearly separable data: features ~ N(0, 1), label = [w·x + b > 0] for a fixed random (w, b);
     * rows within {@code margin} of the boundary are redrawn.
     */
    static SyntheticData separable(int n, int d, long seed, double margin) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = gaussian(rng);
        }
        double b = 0.3;
        float[][] x = new float[n][d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double z;
            do {
                z = b;
                for (int j = 0; j < d; j++) {
                    x[i][j] = (float) gaussian(rng);
                    z += w[j] * x[i][j];
                }
            } while (Math.abs(z) < margin);
            y[i] = z > 0 ? 1f : 0f;
        }
        return new SyntheticData(x, y);
    }

    /** XOR-like data (not linearly separable): label = [x0 * x1 > 0]. */
    static SyntheticData xor(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (rng.nextDouble() * 2 - 1);
            }
            y[i] = x[i][0] * x[i][1] > 0 ? 1f : 0f;
        }
        return new SyntheticData(x, y);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
