package org.fedehr.protocol.msg;

/**
 * What a site says about its local training (aggregates only). {@code clippedValues} counts the update's values
 * that secure aggregation clipped to its range before encoding (0 without secure aggregation).
 */
public record TrainSummary(int numExamples, Double meanLoss, int steps, int clippedValues) {
    public TrainSummary(int numExamples, Double meanLoss, int steps) {
        this(numExamples, meanLoss, steps, 0);
    }

    public TrainSummary {
        if (numExamples < 0) throw new IllegalArgumentException("numExamples must be >= 0, was " + numExamples);
        if (clippedValues < 0) throw new IllegalArgumentException("clippedValues must be >= 0, was " + clippedValues);
        if (meanLoss != null && !Double.isFinite(meanLoss))
            throw new IllegalArgumentException("meanLoss must be finite or absent, was " + meanLoss);
    }
}
