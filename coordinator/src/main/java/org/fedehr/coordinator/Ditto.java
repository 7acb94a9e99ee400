package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;

import java.util.List;

/**
 * Ditto (Li et al. 2021, <i>Ditto: Fair and Robust Federated Learning Through Personalization</i>): the global model
 * is trained and aggregated as in FedAvg; each site also keeps a personal model v_i, trained each round on
 * F_i(v) + λ/2·‖v − w_global‖² from the round's global model w_global, which never leaves the site. Sites evaluate
 * their personal model ({@link #personalised()}). Runs under secure aggregation (the server part is FedAvg).
 */
public final class Ditto implements Strategy {
    private final FedAvg avg;
    private final double lambda;

    public Ditto(double lambda, double serverLearningRate) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate))
            throw new IllegalArgumentException("server_learning_rate must be > 0, was " + serverLearningRate);
        this.lambda = lambda;
        this.avg = new FedAvg(serverLearningRate);
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

    @Override
    public boolean worksOnMeans() {
        return true;
    }

    @Override
    public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        return avg.aggregateTrain(round, global, updates, failures);
    }

    @Override
    public Aggregation aggregateMean(int round, float[] global, double[] mean, double totalWeight, List<String> contributors,
                                     List<SiteFailure> failures) {
        return avg.aggregateMean(round, global, mean, totalWeight, contributors, failures);
    }
}
