package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;

/**
 * Ditto (Li et al. 2021, <i>Ditto: Fair and Robust Federated Learning Through Personalization</i>): the global model
 * is trained and aggregated as in FedAvg; each site also keeps a personal model v_i, trained each round on
 * F_i(v) + λ/2·‖v − w_global‖² from the round's global model w_global, which never leaves the site. Sites evaluate
 * their personal model ({@link #personalised()}). Runs under secure aggregation (the server part is FedAvg).
 */
public final class Ditto extends FedAvgServer {
    private final double lambda;

    public Ditto(double lambda, double serverLearningRate) {
        super(serverLearningRate);
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
        this.lambda = lambda;
    }

    public double lambda() {
        return lambda;
    }

    @Override
    public String name() {
        return "ditto";
    }

    @Override
    public LocalAlgorithm localAlgorithm() {
        return LocalAlgorithm.ditto(lambda);
    }
}
