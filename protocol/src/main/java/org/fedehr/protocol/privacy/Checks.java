package org.fedehr.protocol.privacy;

/** Parameter validation shared by the privacy types; every message names the parameter and the value. */
final class Checks {
    private Checks() {
    }

    static double samplingRate(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
        return q;
    }

    static double noiseMultiplier(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma))
            throw new IllegalArgumentException("noise multiplier sigma must be finite and >= 0, got " + sigma);
        return sigma;
    }

    static long steps(long steps) {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        return steps;
    }

    static double delta(double delta) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        return delta;
    }

    static double epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon))
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        return epsilon;
    }

    static double order(double alpha) {
        if (!(alpha > 1) || Double.isInfinite(alpha)) throw new IllegalArgumentException("RDP order alpha must be finite and > 1, got " + alpha);
        return alpha;
    }
}
