package org.fedehr.coordinator;

import java.util.List;

/**
 * The server optimisers of Reddi et al. 2021, <i>Adaptive Federated Optimization</i> (ICLR), Algorithm 2: the
 * pseudo-gradient Δ_t is the mean of the contributors' deltas weighted by their training rows (as FedAvg, and as
 * secure aggregation reveals it), and per coordinate
 * <pre>
 *   m_t = β1·m_{t−1} + (1 − β1)·Δ_t
 *   v_t = {@link #secondMoment}(v_{t−1}, Δ_t²)          (Adam, Yogi or Adagrad)
 *   x_{t+1} = x_t + η·m_t / (√v_t + τ)
 * </pre>
 * with m_{−1} = 0 and v_{−1} = τ² (the paper asks for v_{−1} ≥ τ²), without bias correction (as the paper and
 * FLamby). The moments persist across rounds in this instance (one instance per run). A round whose result would not
 * be finite (parameters or moments) is not adopted and leaves the moments unchanged, so the global model stays finite
 * (case C08 b). Works on the weighted mean alone, so it runs under secure aggregation.
 */
public abstract class AdaptiveServerOptimizer implements Strategy {
    private final double eta;
    private final double beta1;
    private final double beta2;
    private final double tau;
    private double[] m;
    private double[] v;

    protected AdaptiveServerOptimizer(double eta, double beta1, double beta2, double tau) {
        if (!(eta > 0) || !Double.isFinite(eta)) throw new IllegalArgumentException("eta must be > 0, was " + eta);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
        if (!(tau > 0) || !Double.isFinite(tau)) throw new IllegalArgumentException("tau must be > 0, was " + tau);
        this.eta = eta;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.tau = tau;
    }

    /** v_t from v_{t−1} and Δ_t² for one coordinate. */
    protected abstract double secondMoment(double previous, double deltaSquared, double beta2);

    public double eta() {
        return eta;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double tau() {
        return tau;
    }

    @Override
    public boolean worksOnMeans() {
        return true;
    }

    @Override
    public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        if (updates.isEmpty()) return Aggregation.none("0 successful updates");
        double total = 0;
        for (SiteUpdate u : updates) total += u.weight();
        if (!(total > 0)) return Aggregation.none("total weight 0");
        double[] mean = FedAvg.weightedMean(global.length, updates, total);
        return aggregateMean(round, global, mean, total, updates.stream().map(SiteUpdate::siteId).toList(), failures);
    }

    @Override
    public synchronized Aggregation aggregateMean(int round, float[] global, double[] delta, double totalWeight,
                                                  List<String> contributors, List<SiteFailure> failures) {
        if (contributors.isEmpty()) return Aggregation.none("0 successful updates");
        if (!(totalWeight > 0)) return Aggregation.none("total weight 0");
        if (delta.length != global.length)
            throw new IllegalArgumentException("mean update has length " + delta.length + ", expected " + global.length);
        if (m == null || m.length != global.length) {
            m = new double[global.length];
            v = new double[global.length];
            java.util.Arrays.fill(v, tau * tau);
        }
        double[] nm = new double[global.length];
        double[] nv = new double[global.length];
        float[] next = new float[global.length];
        for (int i = 0; i < next.length; i++) {
            double d = delta[i];
            nm[i] = beta1 * m[i] + (1 - beta1) * d;
            nv[i] = secondMoment(v[i], d * d, beta2);
            double step = nm[i] == 0 ? 0 : eta * nm[i] / (Math.sqrt(Math.max(nv[i], 0)) + tau);
            next[i] = (float) (global[i] + step);
            if (!Float.isFinite(next[i]) || !Double.isFinite(nm[i]) || !Double.isFinite(nv[i]))
                return Aggregation.none(name() + ": update not finite at index " + i + "; moments kept");
        }
        m = nm;
        v = nv;
        return Aggregation.of(next);
    }

    /** A copy of the first moment (null before the first aggregation); tests. */
    synchronized double[] firstMoment() {
        return m == null ? null : m.clone();
    }

    /** A copy of the second moment (null before the first aggregation); tests. */
    synchronized double[] secondMoment() {
        return v == null ? null : v.clone();
    }
}
