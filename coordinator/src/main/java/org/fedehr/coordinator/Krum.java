package org.fedehr.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Krum and multi-Krum (Blanchard et al. 2017, <i>Machine Learning with Adversaries: Byzantine Tolerant Gradient
 * Descent</i>). With n updates of which up to f may be Byzantine, each update i gets the score
 * s(i) = Σ ‖Δ_i − Δ_j‖² over its n − f − 2 nearest other updates; Krum takes the update with the lowest score,
 * multi-Krum the unweighted mean of the m lowest-scored ones (m = 1 is Krum). Requires n ≥ 2f + 3 (n − f − 2 ≥ 1
 * neighbours and a majority of honest updates); a round with fewer updates fails with a reason. Ties go to the lower
 * site id. Needs individual updates (not under secure aggregation).
 */
public final class Krum extends RobustAggregator {
    private final int f;
    private final int m;

    public Krum(int byzantine, int multiKrum) {
        if (byzantine < 0) throw new IllegalArgumentException("byzantine must be >= 0, was " + byzantine);
        if (multiKrum < 1) throw new IllegalArgumentException("multi_krum must be >= 1, was " + multiKrum);
        this.f = byzantine;
        this.m = multiKrum;
    }

    public int byzantine() {
        return f;
    }

    public int multiKrum() {
        return m;
    }

    @Override
    public String name() {
        return "krum";
    }

    /** The Krum score of every update (same order as {@code deltas}). */
    double[] scores(List<float[]> deltas) {
        int n = deltas.size();
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                float[] a = deltas.get(i), b = deltas.get(j);
                double s = 0;
                for (int k = 0; k < a.length; k++) {
                    double d = (double) a[k] - b[k];
                    s += d * d;
                }
                d2[i][j] = d2[j][i] = s;
            }
        int neighbours = n - f - 2;
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            double[] others = new double[n - 1];
            int o = 0;
            for (int j = 0; j < n; j++) if (j != i) others[o++] = d2[i][j];
            java.util.Arrays.sort(others);
            for (int k = 0; k < neighbours; k++) score[i] += others[k];
        }
        return score;
    }

    /** Indices of the selected updates, lowest score first (ties: lower index, i.e. lower site id). */
    List<Integer> selected(List<float[]> deltas) {
        double[] score = scores(deltas);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++) idx.add(i);
        idx.sort(Comparator.<Integer>comparingDouble(i -> score[i]).thenComparingInt(i -> i));
        return idx.subList(0, Math.min(m, idx.size()));
    }

    @Override
    protected Result aggregateDeltas(List<float[]> deltas, List<String> sites) {
        int n = deltas.size();
        if (n < 2 * f + 3)
            return Result.none(n + " updates, Krum with byzantine = " + f + " needs at least " + (2 * f + 3));
        if (m > n - f)
            return Result.none("multi_krum = " + m + " exceeds the " + (n - f) + " updates that may be honest (n − f)");
        List<Integer> pick = selected(deltas);
        double[] out = new double[deltas.get(0).length];
        for (int i : pick) {
            float[] d = deltas.get(i);
            for (int k = 0; k < out.length; k++) out[k] += d[k];
        }
        for (int k = 0; k < out.length; k++) out[k] /= pick.size();
        return Result.of(out);
    }
}
