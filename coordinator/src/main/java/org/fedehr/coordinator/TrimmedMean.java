package org.fedehr.coordinator;

import java.util.Arrays;
import java.util.List;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): per coordinate, the k = ⌊β·n⌋ largest and the k smallest of the n
 * sites' values are dropped and the rest averaged (unweighted). β ∈ [0, 0.5); a round with n − 2k &lt; 1 fails with a
 * reason. Needs individual updates (not under secure aggregation).
 */
public final class TrimmedMean extends RobustAggregator {
    private final double beta;

    public TrimmedMean(double beta) {
        if (!(beta >= 0 && beta < 0.5)) throw new IllegalArgumentException("trim_fraction must be in [0, 0.5), was " + beta);
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    public String name() {
        return "trimmed_mean";
    }

    /** How many values are trimmed from each side with n sites. */
    int trimmed(int n) {
        return (int) Math.floor(beta * n + 1e-9);
    }

    @Override
    protected Result aggregateDeltas(List<float[]> deltas, List<String> sites) {
        int n = deltas.size(), len = deltas.get(0).length;
        int k = trimmed(n);
        if (n - 2 * k < 1) return Result.none("trimming " + k + " of " + n + " updates from each side leaves none");
        double[] out = new double[len];
        double[] col = new double[n];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < n; j++) col[j] = deltas.get(j)[i];
            Arrays.sort(col);
            double s = 0;
            for (int j = k; j < n - k; j++) s += col[j];
            out[i] = s / (n - 2 * k);
        }
        return Result.of(out);
    }
}
