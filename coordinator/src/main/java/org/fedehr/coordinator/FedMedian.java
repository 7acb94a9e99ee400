package org.fedehr.coordinator;

import java.util.Arrays;
import java.util.List;

/**
 * Coordinate-wise median of the sites' deltas (Yin et al. 2018), unweighted; with an even number of sites the mean of
 * the two middle values. Needs individual updates (not under secure aggregation).
 */
public final class FedMedian extends RobustAggregator {
    @Override
    public String name() {
        return "fedmedian";
    }

    @Override
    protected Result aggregateDeltas(List<float[]> deltas, List<String> sites) {
        int n = deltas.size(), len = deltas.get(0).length;
        double[] out = new double[len];
        double[] col = new double[n];
        for (int i = 0; i < len; i++) {
            for (int k = 0; k < n; k++) col[k] = deltas.get(k)[i];
            Arrays.sort(col);
            out[i] = n % 2 == 1 ? col[n / 2] : (col[n / 2 - 1] + col[n / 2]) / 2;
        }
        return Result.of(out);
    }
}
