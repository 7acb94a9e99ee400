package org.fedehr.coordinator;

/**
 * FedYogi (Reddi et al. 2021, after Zaheer et al. 2018): v_t = v_{t−1} − (1 − β2)·Δ_t²·sign(v_{t−1} − Δ_t²), so v
 * moves towards Δ² additively and never grows as fast as Adam's. sign(0) = 0. See {@link AdaptiveServerOptimizer}.
 */
public final class FedYogi extends AdaptiveServerOptimizer {
    public FedYogi(double eta, double beta1, double beta2, double tau) {
        super(eta, beta1, beta2, tau);
    }

    @Override
    public String name() {
        return "fedyogi";
    }

    @Override
    protected double secondMoment(double previous, double deltaSquared, double beta2) {
        return previous - (1 - beta2) * deltaSquared * Math.signum(previous - deltaSquared);
    }
}
