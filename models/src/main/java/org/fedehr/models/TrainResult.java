package org.fedehr.models;

import java.util.Arrays;

/**
 * Outcome of one local training round.
 *
 * <p>{@code delta} is {@code newParams - globalParams}, a fresh array owned by this result (never a
 * view of the trainer's network); it is not copied again on access, so treat it as read-only or copy
 * it before changing it if the result is shared. Equality compares the array contents.
 *
 * @param delta       parameter change, or {@code null} when there was no data
 * @param numExamples number of local examples trained on (the aggregation weight)
 * @param meanLoss    mean of the minibatch training objective (binary cross-entropy plus the L2
 *                    penalty when {@code l2 > 0}); {@code NaN} only when there was no data
 * @param steps       number of minibatches fitted
 */
public record TrainResult(float[] delta, int numExamples, double meanLoss, int steps) {

    /** Validates the invariants between the fields. */
    public TrainResult {
        if (numExamples < 0) {
            throw new IllegalArgumentException("numExamples must be >= 0, got " + numExamples);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (numExamples == 0) {
            if (delta != null || steps != 0 || !Double.isNaN(meanLoss)) {
                throw new IllegalArgumentException(
                        "a result with numExamples 0 must have delta null, steps 0 and meanLoss NaN (use noData())");
            }
        } else {
            if (delta == null) {
                throw new IllegalArgumentException("delta must not be null when numExamples is " + numExamples);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1 when numExamples is " + numExamples
                        + ", got " + steps);
            }
        }
    }

    /** The result of a round in which the site had no examples: nothing was trained. */
    public static TrainResult noData() {
        return new TrainResult(null, 0, Double.NaN, 0);
    }

    /** Whether training ran (at least one example); when false, {@code delta} is null. */
    public boolean hasData() {
        return numExamples > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainResult r
                && numExamples == r.numExamples
                && steps == r.steps
                && Double.compare(meanLoss, r.meanLoss) == 0
                && Arrays.equals(delta, r.delta);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(delta);
        h = 31 * h + numExamples;
        h = 31 * h + Double.hashCode(meanLoss);
        return 31 * h + steps;
    }

    /** Summary without the parameter values. */
    @Override
    public String toString() {
        return "TrainResult[delta=" + (delta == null ? "null" : "float[" + delta.length + "]")
                + ", numExamples=" + numExamples + ", meanLoss=" + meanLoss + ", steps=" + steps + "]";
    }
}
