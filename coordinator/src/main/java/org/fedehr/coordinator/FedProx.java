package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;

/**
 * FedProx (Li et al. 2020, <i>Federated Optimization in Heterogeneous Networks</i>): sites minimise
 * F_i(w) + μ/2·‖w − w_global‖² locally (μ travels in the instruction, {@link LocalAlgorithm#fedProx}); the server
 * aggregates as FedAvg (row-weighted mean of the deltas, times the server learning rate), so it runs under secure
 * aggregation.
 */
public final class FedProx extends FedAvgServer {
    private final double mu;

    public FedProx(double mu, double serverLearningRate) {
        super(serverLearningRate);
        if (!(mu >= 0) || !Double.isFinite(mu)) throw new IllegalArgumentException("mu must be finite and >= 0, was " + mu);
        this.mu = mu;
    }

    public double mu() {
        return mu;
    }

    @Override
    public String name() {
        return "fedprox";
    }

    @Override
    public LocalAlgorithm localAlgorithm() {
        return LocalAlgorithm.fedProx(mu);
    }
}
