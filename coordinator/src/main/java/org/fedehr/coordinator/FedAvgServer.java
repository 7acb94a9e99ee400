package org.fedehr.coordinator;

import java.util.List;

/**
 * A strategy whose server part is FedAvg (row-weighted mean of the deltas, times the server learning rate) and whose
 * difference lies in the sites' local training ({@link #localAlgorithm()}): FedProx and Ditto. Runs under secure
 * aggregation, since FedAvg needs only the weighted mean.
 */
abstract class FedAvgServer implements Strategy {
    private final FedAvg avg;

    FedAvgServer(double serverLearningRate) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate))
            throw new IllegalArgumentException("server_learning_rate must be > 0, was " + serverLearningRate);
        this.avg = new FedAvg(serverLearningRate);
    }

    @Override
    public final boolean worksOnMeans() {
        return true;
    }

    @Override
    public final Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        return avg.aggregateTrain(round, global, updates, failures);
    }

    @Override
    public final Aggregation aggregateMean(int round, float[] global, double[] mean, double totalWeight, List<String> contributors,
                                           List<SiteFailure> failures) {
        return avg.aggregateMean(round, global, mean, totalWeight, contributors, failures);
    }
}
