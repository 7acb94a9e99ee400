package org.fedehr.coordinator;

/** FedAdam (Reddi et al. 2021): v_t = β2·v_{t−1} + (1 − β2)·Δ_t². See {@link AdaptiveServerOptimizer}. */
public final class FedAdam extends AdaptiveServerOptimizer {
    public FedAdam(double eta, double beta1, double beta2, double tau) {
        super(eta, beta1, beta2, tau);
    }

    @Override
    public String name() {
        return "fedadam";
    }

    @Override
    protected double secondMoment(double previous, double deltaSquared, double beta2) {
        return beta2 * previous + (1 - beta2) * deltaSquared;
    }
}
