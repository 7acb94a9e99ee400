package org.fedehr.protocol.msg;

/** What a site says about its local training (aggregates only). */
public record TrainSummary(int numExamples, Double meanLoss, int steps) {
    public TrainSummary {
        if (numExamples < 0) throw new IllegalArgumentException("numExamples must be >= 0, was " + numExamples);
        if (meanLoss != null && !Double.isFinite(meanLoss))
            throw new IllegalArgumentException("meanLoss must be finite or absent, was " + meanLoss);
    }
}
