package org.fedehr.protocol.privacy;

/** Log-space helpers for the accountant: log-sum-exp, log(expm1), log(erfc) without underflow. Package-private. */
final class LogMath {
    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private LogMath() {
    }

    /** log(e^a + e^b). */
    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double hi = Math.max(a, b), lo = Math.min(a, b);
        if (hi == Double.POSITIVE_INFINITY) return hi;
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /** log(e^a - e^b) for a >= b. */
    static double logSub(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) return a;
        if (b > a) throw new ArithmeticException("logSub: log of a negative number (" + a + " < " + b + ")");
        if (a == b) return Double.NEGATIVE_INFINITY;
        return a + Math.log(-Math.expm1(b - a));
    }

    /** log(e^x - 1) for x >= 0 (−∞ at 0), accurate for tiny and huge x. */
    static double logExpm1(double x) {
        if (x == 0) return Double.NEGATIVE_INFINITY;
        if (x > 30) return x + Math.log1p(-Math.exp(-x));
        return Math.log(Math.expm1(x));
    }

    /** log(1 + e^x) (softplus), accurate for tiny and huge x. */
    static double log1pExp(double x) {
        if (x > 36) return x + Math.exp(-x);
        return Math.log1p(Math.exp(x));
    }

    /**
     * log(erfc(x)) for any real x: a positive-term series for erf near 0, the Laplace continued fraction in the
     * upper tail (no underflow: log is taken analytically), and erfc(x) = 2 − erfc(−x) in the lower tail.
     * Relative accuracy of erfc better than about 1e-12 everywhere.
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x >= 2.5) {
            if (x == Double.POSITIVE_INFINITY) return Double.NEGATIVE_INFINITY;
            return -x * x - LOG_SQRT_PI - Math.log(laplaceContinuedFraction(x));
        }
        if (x <= -2.5) {
            if (x == Double.NEGATIVE_INFINITY) return Math.log(2);
            double tail = Math.exp(logErfc(-x));
            return Math.log(2) + Math.log1p(-tail / 2);
        }
        return Math.log1p(-erfSeries(x));
    }

    /** erf(x) = 2/√π · e^{−x²} · Σ 2^n x^{2n+1} / (2n+1)!!  (all terms of one sign, no cancellation). */
    private static double erfSeries(double x) {
        double term = x, sum = x, x2 = x * x;
        for (int n = 0; n < 10_000; n++) {
            term *= 2 * x2 / (2 * n + 3);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** f with erfc(x) = e^{−x²} / (√π f), f = x + (1/2)/(x + 1/(x + (3/2)/(x + …))); modified Lentz, x >= 2.5. */
    private static double laplaceContinuedFraction(double x) {
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int n = 1; n < 100_000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            if (d == 0) d = tiny;
            d = 1 / d;
            c = x + a / c;
            if (c == 0) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) return f;
        }
        return f;
    }
}
