package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;

import java.util.List;

/**
 * FedProx (Li et al. 2020, <i>Federated Optimization in Heterogeneous Networks</i>): sites minimise
 * F_i(w) + μ/2·‖w − w_global‖² locally (μ travels in the instruction, {@link LocalAlgorithm#fedProx}); the server
 * aggregates as FedAvg (row-weighted mean of the deltas, times the server learning rate), so it runs under secure
 * aggregation.
 */
public final class FedProx implements Strategy {
    private final FedAvg avg;
    private final double mu;

    public FedProx(double mu, double serverLearningRate) {
        if (!(mu >= 0) || !Double.isFinite(mu)) throw new IllegalArgumentException("mu must be finite and >= 0, was " + mu);
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate))
            throw new IllegalArgumentException("server_learning_rate must be > 0, was " + serverLearningRate);
        this.mu = mu;
        this.avg = new FedAvg(serverLearningRate);
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
