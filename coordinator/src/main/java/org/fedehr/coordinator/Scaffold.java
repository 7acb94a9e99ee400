package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;

import java.util.List;

/**
 * SCAFFOLD (Karimireddy et al. 2020, <i>Stochastic Controlled Averaging for Federated Learning</i>), server side.
 * The global vector is [x | c]: the model x (P values) followed by the server control variate c (P values), so c
 * reaches the sites in the ordinary model frame and every update is validated against one length, 2P. Each site
 * replies [Δy_i | Δc_i] (see {@link LocalAlgorithm#scaffold}); the server sets
 * <pre>
 *   x ← x + η_g·Δx,   c ← c + (|S|/N)·Δc
 * </pre>
 * where Δx and Δc are the contributors' mean deltas, |S| the number of contributors and N the number of sites
 * available when the round was configured. The mean is weighted by training rows (as FedAvg and FLamby; the paper
 * writes the unweighted 1/|S| Σ), which is what secure aggregation reveals, so SCAFFOLD runs under it.
 */
public final class Scaffold implements Strategy {
    private final double serverLearningRate;
    private volatile int available;

    public Scaffold(double serverLearningRate) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate))
            throw new IllegalArgumentException("server_learning_rate must be > 0, was " + serverLearningRate);
        this.serverLearningRate = serverLearningRate;
    }

    @Override
    public String name() {
        return "scaffold";
    }

    @Override
    public LocalAlgorithm localAlgorithm() {
        return LocalAlgorithm.scaffold();
    }

    @Override
    public boolean worksOnMeans() {
        return true;
    }

    @Override
    public List<String> configureTrain(int round, List<String> available) {
        this.available = available.size();
        return available;
    }

    @Override
    public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        if (updates.isEmpty()) return Aggregation.none("0 successful updates");
        double total = 0;
        for (SiteUpdate u : updates) total += u.weight();
        if (!(total > 0)) return Aggregation.none("total weight 0");
        double[] mean = FedAvg.weightedMean(global.length, updates, total);
        return aggregateMean(round, global, mean, total, updates.stream().map(SiteUpdate::siteId).toList(), failures);
    }

    @Override
    public Aggregation aggregateMean(int round, float[] global, double[] mean, double totalWeight, List<String> contributors,
                                     List<SiteFailure> failures) {
        if (contributors.isEmpty()) return Aggregation.none("0 successful updates");
        if (!(totalWeight > 0)) return Aggregation.none("total weight 0");
        if (mean.length != global.length)
            throw new IllegalArgumentException("mean update has length " + mean.length + ", expected " + global.length);
        if (global.length % 2 != 0)
            throw new IllegalArgumentException("SCAFFOLD's global vector [x | c] must have even length, was " + global.length);
        int p = global.length / 2;
        int n = Math.max(available, contributors.size());
        double share = (double) contributors.size() / n;
        float[] next = new float[global.length];
        for (int i = 0; i < global.length; i++) {
            double step = i < p ? serverLearningRate * mean[i] : share * mean[i];
            next[i] = (float) (global[i] + step);
            if (!Float.isFinite(next[i])) return Aggregation.none("aggregate is not finite at index " + i);
        }
        return Aggregation.of(next);
    }
}
