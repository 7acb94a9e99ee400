package org.fedehr.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Federated averaging (McMahan et al. 2017): the new global model is the global model plus the mean of the
 * sites' deltas weighted by their number of training rows. Sums run in double precision in site-id order,
 * so the result does not depend on arrival order.
 */
public final class FedAvg implements Strategy {
    private final double serverLearningRate;

    public FedAvg() {
        this(1.0);
    }

    public FedAvg(double serverLearningRate) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate))
            throw new IllegalArgumentException("server_learning_rate must be > 0, was " + serverLearningRate);
        this.serverLearningRate = serverLearningRate;
    }

    @Override
    public String name() {
        return "fedavg";
    }

    @Override
    public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        if (updates.isEmpty()) return Aggregation.none("0 successful updates");
        double total = 0;
        for (SiteUpdate u : updates) total += u.weight();
        if (!(total > 0)) return Aggregation.none("total weight 0");
        double[] mean = weightedMean(global.length, updates, total);
        return aggregateMean(round, global, mean, total, updates.stream().map(SiteUpdate::siteId).toList(), failures);
    }

    @Override
    public boolean worksOnMeans() {
        return true;
    }

    @Override
    public Aggregation aggregateMean(int round, float[] global, double[] mean, double totalWeight,
                                     List<String> contributors, List<SiteFailure> failures) {
        if (contributors.isEmpty()) return Aggregation.none("0 successful updates");
        if (!(totalWeight > 0)) return Aggregation.none("total weight 0");
        if (mean.length != global.length)
            throw new IllegalArgumentException("mean update has length " + mean.length + ", expected " + global.length);
        float[] next = new float[global.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = (float) (global[i] + serverLearningRate * mean[i]);
            if (!Float.isFinite(next[i])) return Aggregation.none("aggregate is not finite at index " + i);
        }
        return Aggregation.of(next);
    }

    /** Weighted mean of the deltas, in site-id order; each delta must have the model's length. */
    static double[] weightedMean(int length, List<SiteUpdate> updates, double total) {
        List<SiteUpdate> sorted = new ArrayList<>(updates);
        sorted.sort(Comparator.comparing(SiteUpdate::siteId));
        double[] acc = new double[length];
        for (SiteUpdate u : sorted) {
            if (u.delta().length != length)
                throw new IllegalArgumentException("update of site " + u.siteId() + " has length " + u.delta().length + ", expected " + length);
            double w = u.weight() / total;
            float[] d = u.delta();
            for (int i = 0; i < length; i++) acc[i] += w * d[i];
        }
        return acc;
    }
}
