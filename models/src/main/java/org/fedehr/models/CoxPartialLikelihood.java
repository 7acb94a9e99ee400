package org.fedehr.models;

/**
 * The negative Cox partial log-likelihood with Breslow's handling of tied times, and its gradient, on one set of
 * rows (a minibatch in training, a whole test split in evaluation).
 *
 * <p>For risk scores {@code s}, times {@code t} and event indicators {@code e} (1 = event observed, 0 = censored), row
 * {@code i}'s term is {@code e_i * (log sum_{j: t_j >= t_i} exp(s_j) - s_i)}: the risk set of an event holds every
 * row still at risk at its time, tied rows included (Breslow). Censored rows contribute 0 but count in the mean, as in
 * FLamby's {@code BaselineLoss} ({@code loss.mean()} over the batch). FLamby sorts the batch by time and takes the
 * rows before row {@code i} in that order as its risk set, which differs from Breslow only for tied times (it drops
 * the tied rows sorted after {@code i}).
 *
 * <p>Gradient of the sum of the terms with respect to {@code s_k}:
 * {@code sum_{i: e_i = 1, t_k >= t_i} exp(s_k) / D_i - e_k} with {@code D_i = sum_{j: t_j >= t_i} exp(s_j)};
 * divide by the row count for the mean. Sums of exponentials are accumulated as log-sum-exp, so large or very different
 * scores neither overflow nor underflow. Runs in O(n log n).
 */
public final class CoxPartialLikelihood {

    private CoxPartialLikelihood() {
    }

    /**
     * Each row's term {@code e_i * (log D_i - s_i)}; 0 for censored rows.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score or time is not finite, a time is
     *                                  negative or an event is not 0 or 1 (messages name the index, never the value)
     */
    public static double[] terms(double[] s, double[] t, double[] e) {
        check(s, t, e);
        int n = s.length;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        double[] logD = logRiskSums(s, t);
        for (int i = 0; i < n; i++) {
            out[i] = e[i] == 1.0 ? logD[i] - s[i] : 0.0;
        }
        return out;
    }

    /** Mean of {@link #terms} over all rows (censored included); 0 for no rows. */
    public static double meanLoss(double[] s, double[] t, double[] e) {
        double[] terms = terms(s, t, e);
        double sum = 0;
        for (double v : terms) {
            sum += v;
        }
        return terms.length == 0 ? 0.0 : sum / terms.length;
    }

    /**
     * Gradient of the <em>sum</em> of {@link #terms} with respect to each score (divide by the row count for the
     * gradient of {@link #meanLoss}). It sums to 0 over the rows: a bias added to every score changes nothing.
     */
    public static double[] gradientOfSum(double[] s, double[] t, double[] e) {
        check(s, t, e);
        int n = s.length;
        double[] g = new double[n];
        if (n == 0) {
            return g;
        }
        Integer[] order = byTimeAscending(t);
        double[] logD = logRiskSums(s, t);
        // logAcc = log of the sum over events i with t_i <= t_k of 1 / D_i, walking times ascending with ties grouped;
        // each exp(s_k) / D_i is at most 1 (k is in i's risk set), so exp(s_k + logAcc) cannot overflow
        double logAcc = Double.NEGATIVE_INFINITY;
        int pos = 0;
        while (pos < n) {
            int end = pos;
            double time = t[order[pos]];
            while (end < n && t[order[end]] == time) {
                end++;
            }
            for (int k = pos; k < end; k++) {
                int i = order[k];
                if (e[i] == 1.0) {
                    logAcc = logAddExp(logAcc, -logD[i]);
                }
            }
            for (int k = pos; k < end; k++) {
                int i = order[k];
                g[i] = Math.exp(s[i] + logAcc) - e[i];
            }
            pos = end;
        }
        return g;
    }

    /** log D_i (unscaled) for every row: the log of the sum of exp(s_j) over rows with t_j >= t_i. */
    private static double[] logRiskSums(double[] s, double[] t) {
        int n = s.length;
        Integer[] order = byTimeAscending(t);
        double[] logD = new double[n];
        double logSuffix = Double.NEGATIVE_INFINITY;   // log of the sum of exp(s_j) over rows with time >= the group's
        int end = n;
        while (end > 0) {
            int start = end - 1;
            double time = t[order[start]];
            while (start > 0 && t[order[start - 1]] == time) {
                start--;
            }
            for (int k = start; k < end; k++) {
                logSuffix = logAddExp(logSuffix, s[order[k]]);
            }
            double log = logSuffix;
            for (int k = start; k < end; k++) {
                logD[order[k]] = log;
            }
            end = start;
        }
        return logD;
    }

    private static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }

    private static Integer[] byTimeAscending(double[] t) {
        Integer[] order = new Integer[t.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
        return order;
    }

    private static void check(double[] s, double[] t, double[] e) {
        if (s == null || t == null || e == null) {
            throw new IllegalArgumentException("scores, times and events must not be null");
        }
        if (t.length != s.length || e.length != s.length) {
            throw new IllegalArgumentException("scores, times and events must have the same length, got "
                    + s.length + ", " + t.length + " and " + e.length);
        }
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is not finite");
            }
            if (!(t[i] >= 0) || Double.isInfinite(t[i])) {
                throw new IllegalArgumentException("times[" + i + "] must be finite and >= 0");
            }
            if (e[i] != 0.0 && e[i] != 1.0) {
                throw new IllegalArgumentException("events[" + i + "] must be 0 or 1");
            }
        }
    }
}
