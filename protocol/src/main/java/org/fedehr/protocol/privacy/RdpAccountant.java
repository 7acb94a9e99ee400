package org.fedehr.protocol.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Rényi-DP accountant for DP-SGD: the Poisson-subsampled Gaussian mechanism (each record is in a step's batch with
 * probability q; the clipped sum gets Gaussian noise of standard deviation σ·clip), following Mironov, Talwar &amp; Zhang
 * 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism" (arXiv:1908.10530).
 *
 * <p>RDP at order α is log(A_α)/(α−1) with A_α = E_{z∼N(0,σ²)}[((1−q) + q·e^{(2z−1)/(2σ²)})^α]:
 * <ul>
 *   <li>integer α (Section 3.3): A_α = Σ_k C(α,k) (1−q)^{α−k} q^k e^{(k²−k)/(2σ²)}. We evaluate it as
 *       A_α = 1 + Σ_{k≥2} C(α,k) (1−q)^{α−k} q^k expm1((k²−k)/(2σ²)) — the same sum, since the binomial terms without the
 *       exponential add up to exactly 1 — so every term is positive, tiny RDP values (large σ, small q) keep full
 *       relative precision, and huge ones (e^{α²/σ²}) never overflow: everything is in log space (log-sum-exp).</li>
 *   <li>fractional α (Section 3.4): the two convergent series for the integrals below and above
 *       z₀ = σ² log(1/q − 1) + 1/2, with erfc tails, summed in log space until a term falls below e^{−36}. Its
 *       absolute accuracy in log A_α is about 1e-15, so for RDP values below about 1e-9 its relative accuracy is
 *       lower than the integer formula's (the grid's integer orders are unaffected).</li>
 *   <li>special cases: q = 0 → 0; σ = 0 (with q &gt; 0) → ∞; q = 1 → α/(2σ²) (the plain Gaussian mechanism).</li>
 * </ul>
 * T steps compose to T times the per-step RDP. The (ε, δ) guarantee is the minimum over the orders of a
 * {@link Conversion} (the tight one by default), clamped at 0.
 */
public final class RdpAccountant {
    /**
     * The default orders: 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, every integer 5..64, 80, 96, 128, 256, 512,
     * 1024. Fractional orders near 1 serve large ε (many steps, little noise); large orders serve tiny ε.
     */
    public static final List<Double> DEFAULT_ORDERS = defaultOrders();

    private static final double SERIES_STOP = -36; // stop a fractional-order series once a term is below e^-36 (~2e-16)

    private final List<Double> orders;

    /** An accountant over {@link #DEFAULT_ORDERS}. */
    public RdpAccountant() {
        this(DEFAULT_ORDERS);
    }

    /** An accountant over the given orders (each finite and &gt; 1, strictly increasing). */
    public RdpAccountant(List<Double> orders) {
        if (orders == null || orders.isEmpty()) throw new IllegalArgumentException("orders must not be empty");
        for (int i = 0; i < orders.size(); i++) {
            Checks.order(orders.get(i));
            if (i > 0 && !(orders.get(i) > orders.get(i - 1)))
                throw new IllegalArgumentException("orders must be strictly increasing, got " + orders.get(i - 1) + " then " + orders.get(i));
        }
        this.orders = List.copyOf(orders);
    }

    public List<Double> orders() {
        return orders;
    }

    // ---------------------------------------------------------------- RDP of one step

    /** RDP at order α of one step of the sampled Gaussian mechanism with sampling rate q and noise multiplier σ. */
    public static double rdp(double q, double sigma, double alpha) {
        Checks.samplingRate(q);
        Checks.noiseMultiplier(sigma);
        Checks.order(alpha);
        if (q == 0) return 0;
        if (sigma == 0) return Double.POSITIVE_INFINITY;
        if (q == 1) return alpha / (2 * sigma * sigma);
        double logA = alpha == Math.rint(alpha) && alpha <= Integer.MAX_VALUE
                ? logAInteger(q, sigma, (int) alpha) : logAFractional(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    /** log A_α for integer α ≥ 2 and 0 &lt; q &lt; 1, σ &gt; 0: the binomial expansion of Section 3.3 in log space. */
    static double logAInteger(double q, double sigma, int alpha) {
        double logQ = Math.log(q), log1mQ = Math.log1p(-q), twoS2 = 2 * sigma * sigma;
        double[] terms = new double[alpha + 1];
        double logBinom = 0, max = Double.NEGATIVE_INFINITY; // log C(alpha, k), updated incrementally
        for (int k = 1; k <= alpha; k++) {
            logBinom += Math.log((double) (alpha - k + 1)) - Math.log(k);
            if (k < 2) continue; // k = 0, 1: expm1(0) = 0
            double t = logBinom + (alpha - k) * log1mQ + k * logQ + LogMath.logExpm1(((double) k * k - k) / twoS2);
            terms[k] = t;
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) return 0;
        if (max == Double.POSITIVE_INFINITY) return Double.POSITIVE_INFINITY;
        double s = 0;
        for (int k = 2; k <= alpha; k++) s += Math.exp(terms[k] - max);
        return LogMath.log1pExp(max + Math.log(s)); // log(1 + B), B = Σ_{k≥2} ...
    }

    /**
     * log A_α for any real α &gt; 1 and 0 &lt; q &lt; 1, σ &gt; 0: the two series of Section 3.4. Also correct at integer α
     * (the binomial coefficients vanish beyond α), which the tests use to check it against {@link #logAInteger}.
     */
    static double logAFractional(double q, double sigma, double alpha) {
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q), log1mQ = Math.log1p(-q), twoS2 = 2 * sigma * sigma, sqrt2S = Math.sqrt(2) * sigma;
        double pos = Double.NEGATIVE_INFINITY, neg = Double.NEGATIVE_INFINITY; // A0 + A1, positive and negative terms apart
        double logAbsBinom = 0; // log |C(alpha, i)|
        boolean binomPositive = true;
        for (long i = 0; i < 10_000_000L; i++) {
            if (i > 0) {
                double f = (alpha - (i - 1)) / i;
                if (f == 0) break; // integer alpha: every further coefficient is 0
                logAbsBinom += Math.log(Math.abs(f));
                if (f < 0) binomPositive = !binomPositive;
            }
            double j = alpha - i;
            double logT0 = logAbsBinom + i * logQ + j * log1mQ;
            double logT1 = logAbsBinom + j * logQ + i * log1mQ;
            double logE0 = Math.log(0.5) + LogMath.logErfc((i - z0) / sqrt2S);
            double logE1 = Math.log(0.5) + LogMath.logErfc((z0 - j) / sqrt2S);
            double logS0 = logT0 + ((double) i * i - i) / twoS2 + logE0;
            double logS1 = logT1 + (j * j - j) / twoS2 + logE1;
            double term = LogMath.logAdd(logS0, logS1);
            if (binomPositive) pos = LogMath.logAdd(pos, term);
            else neg = LogMath.logAdd(neg, term);
            if (i > alpha + 1 && Math.max(logS0, logS1) < SERIES_STOP) break;
        }
        return LogMath.logSub(pos, neg);
    }

    /** RDP at every order of {@code steps} steps of the sampled Gaussian mechanism. */
    public RdpCurve curve(double q, double sigma, long steps) {
        Checks.samplingRate(q);
        Checks.noiseMultiplier(sigma);
        Checks.steps(steps);
        List<Double> r = new ArrayList<>(orders.size());
        for (double a : orders) {
            double one = rdp(q, sigma, a);
            r.add(steps == 0 || one == 0 ? 0.0 : one * steps);
        }
        return new RdpCurve(orders, r);
    }

    // ---------------------------------------------------------------- (ε, δ)

    /** The (ε, δ) guarantee of an RDP curve: the minimum over its orders (first order on ties), clamped at 0. */
    public static DpGuarantee epsilon(RdpCurve curve, double delta, Conversion conversion) {
        Checks.delta(delta);
        if (conversion == null) throw new IllegalArgumentException("conversion must not be null");
        if (curve.isZero()) return new DpGuarantee(0, delta, Double.NaN, conversion);
        return minimumOverOrders(curve, delta, conversion);
    }

    /** (ε, δ) after {@code steps} steps, with the tight conversion. */
    public DpGuarantee epsilon(double q, double sigma, long steps, double delta) {
        return epsilon(q, sigma, steps, delta, Conversion.TIGHT);
    }

    /** (ε, δ) after {@code steps} steps, with the given conversion. */
    public DpGuarantee epsilon(double q, double sigma, long steps, double delta, Conversion conversion) {
        Checks.delta(delta);
        return epsilon(curve(q, sigma, steps), delta, conversion);
    }

    // ---------------------------------------------------------------- σ for a target ε

    /** The smallest noise multiplier σ whose {@code steps} steps give at most {@code targetEpsilon} at δ (tight conversion). */
    public double noiseMultiplier(double targetEpsilon, double q, long steps, double delta) {
        return noiseMultiplier(targetEpsilon, q, steps, delta, Conversion.TIGHT);
    }

    /**
     * The smallest σ (to a relative tolerance of 1e-7, rounded up so the target is always met) whose {@code steps}
     * steps give at most {@code targetEpsilon} at δ. ε is non-increasing in σ, so this is a bisection. 0 when q = 0 or
     * steps = 0 (nothing is ever spent). Throws when the target is unreachable: as σ → ∞ the RDP goes to 0 but the
     * conversion still leaves ε ≥ min over orders of conversion(0, α, δ) (about 0.0035 at δ = 1e-5 with the
     * default orders and the tight conversion), and targets within a hair of that need σ beyond 1e7.
     */
    public double noiseMultiplier(double targetEpsilon, double q, long steps, double delta, Conversion conversion) {
        Checks.epsilon(targetEpsilon);
        Checks.samplingRate(q);
        Checks.steps(steps);
        Checks.delta(delta);
        if (conversion == null) throw new IllegalArgumentException("conversion must not be null");
        if (q == 0 || steps == 0) return 0;
        DpGuarantee floor = minimumOverOrders(RdpCurve.zero(orders), delta, conversion);
        if (targetEpsilon <= floor.epsilon())
            throw new IllegalArgumentException("epsilon = " + targetEpsilon + " is unreachable at delta = " + delta + " with these RDP orders: even"
                    + " with infinite noise the " + conversion.cliName() + " conversion gives epsilon >= " + floor.epsilon()
                    + " (order " + floor.order() + "); use a larger epsilon, a larger delta, or larger orders");
        double hi = 1;
        if (eps(hi, q, steps, delta, conversion) > targetEpsilon) {
            while (eps(hi, q, steps, delta, conversion) > targetEpsilon) {
                hi *= 2;
                if (hi > 1e7) throw new IllegalArgumentException("epsilon = " + targetEpsilon + " is unreachable: even sigma = 1e7 gives epsilon = "
                        + eps(1e7, q, steps, delta, conversion) + " at delta = " + delta);
            }
        } else {
            while (hi / 2 >= 1e-12 && eps(hi / 2, q, steps, delta, conversion) <= targetEpsilon) hi /= 2;
            if (hi / 2 < 1e-12) return hi;
        }
        double lo = hi / 2; // eps(lo) > target >= eps(hi)
        while (hi - lo > 1e-7 * hi) {
            double mid = 0.5 * (lo + hi);
            if (eps(mid, q, steps, delta, conversion) <= targetEpsilon) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private double eps(double sigma, double q, long steps, double delta, Conversion conversion) {
        return epsilon(curve(q, sigma, steps), delta, conversion).epsilon();
    }

    /** The minimum of the conversion over the curve's orders (first order on ties), clamped at 0; NaN order if all are ∞. */
    private static DpGuarantee minimumOverOrders(RdpCurve curve, double delta, Conversion conversion) {
        double best = Double.POSITIVE_INFINITY, bestOrder = Double.NaN;
        for (int i = 0; i < curve.orders().size(); i++) {
            double a = curve.orders().get(i), e = conversion.epsilon(curve.rdp().get(i), a, delta);
            if (e < best) {
                best = e;
                bestOrder = a;
            }
        }
        return new DpGuarantee(Math.max(0, best), delta, bestOrder, conversion);
    }

    private static List<Double> defaultOrders() {
        List<Double> o = new ArrayList<>(List.of(1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5));
        for (int a = 5; a <= 64; a++) o.add((double) a);
        o.addAll(List.of(80.0, 96.0, 128.0, 256.0, 512.0, 1024.0));
        return List.copyOf(o);
    }
}
