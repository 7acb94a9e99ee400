package org.fedehr.models;

/**
 * A change to every local SGD step, for the federated algorithms that modify the site's objective or gradient:
 * <pre>
 *   w ← w − lr·(∇F(w) + μ·(w − anchor) + drift)
 * </pre>
 * ∇F(w) is the minibatch gradient DL4J computes (with the spec's L2 penalty, exactly as in plain training).
 * FedProx: μ, anchor = the round's global model, no drift (the gradient of μ/2·‖w − w_global‖²). Ditto's personal
 * model: μ = λ, anchor = the global model. SCAFFOLD: μ = 0, drift = c − c_i (server minus site control variate).
 *
 * @param mu     proximal weight, finite and ≥ 0 (0: no proximal term; anchor may then be null)
 * @param anchor the point the proximal term pulls towards (the model's parameter count), or null when mu is 0
 * @param drift  a constant added to every gradient (the model's parameter count), or null for none
 */
public record SgdCorrection(double mu, float[] anchor, float[] drift) {
    public SgdCorrection {
        if (!(mu >= 0) || !Double.isFinite(mu)) throw new IllegalArgumentException("mu must be finite and >= 0, was " + mu);
        if (mu > 0 && anchor == null) throw new IllegalArgumentException("a proximal term (mu " + mu + ") needs an anchor");
        anchor = anchor == null ? null : anchor.clone();
        drift = drift == null ? null : drift.clone();
    }

    /** FedProx's (and Ditto's) proximal term μ/2·‖w − anchor‖². */
    public static SgdCorrection proximal(double mu, float[] anchor) {
        return new SgdCorrection(mu, anchor, null);
    }

    /** SCAFFOLD's correction: drift = c − c_i. */
    public static SgdCorrection drift(float[] drift) {
        return new SgdCorrection(0, null, drift);
    }

    void check(int parameterCount) {
        if (anchor != null && anchor.length != parameterCount)
            throw new IllegalArgumentException("correction anchor has length " + anchor.length + ", the model has " + parameterCount);
        if (drift != null && drift.length != parameterCount)
            throw new IllegalArgumentException("correction drift has length " + drift.length + ", the model has " + parameterCount);
        for (int i = 0; i < parameterCount; i++) {
            if (anchor != null && !Float.isFinite(anchor[i])) throw new IllegalArgumentException("correction anchor[" + i + "] is not finite");
            if (drift != null && !Float.isFinite(drift[i])) throw new IllegalArgumentException("correction drift[" + i + "] is not finite");
        }
    }

    /** Applies {@code after[i] −= lr·(μ·(before[i] − anchor[i]) + drift[i])} to an SGD step from {@code before}. */
    void apply(float[] before, float[] after, double lr) {
        for (int i = 0; i < after.length; i++) {
            double c = 0;
            if (mu > 0) c += mu * ((double) before[i] - anchor[i]);
            if (drift != null) c += drift[i];
            after[i] = (float) (after[i] - lr * c);
        }
    }
}
