package org.fedehr.coordinator;

/**
 * FedAdagrad (Reddi et al. 2021): v_t = v_{t−1} + Δ_t² (accumulates; β2 is not used). See
 * {@link AdaptiveServerOptimizer}.
 */
public final class FedAdagrad extends AdaptiveServerOptimizer {
    public FedAdagrad(double eta, double beta1, double tau) {
        super(eta, beta1, 0, tau);
    }

    @Override
    public String name() {
        return "fedadagrad";
    }

    @Override
    protected double secondMoment(double previous, double deltaSquared, double beta2) {
        return previous + deltaSquared;
    }
}
