package org.fedehr.models;

/**
 * Outcome of one DP-SGD round: the training result plus what a privacy accountant needs to charge it.
 *
 * <p>The sampled Gaussian mechanism was applied {@code steps} times with sampling rate
 * {@code samplingRate} and noise multiplier {@code noiseMultiplier} (RDP accounting: compose
 * {@code steps} steps at {@code (q, σ)}). {@code result.meanLoss()} is computed from the sampled rows
 * before clipping and is NOT differentially private: keep it on the site.
 *
 * @param result          delta, number of rows, mean loss (not private), steps
 * @param samplingRate    q, the per-row probability of being in a step's batch (Poisson), or batch / n (shuffle)
 * @param noiseMultiplier σ used
 * @param clipNorm        C used
 * @param sampling        {@code poisson} or {@code shuffle}
 * @param sampledRows     total rows over all steps' batches
 * @param clippedRows     of those, how many had a gradient norm above C (not private: keep on the site)
 */
public record DpTrainResult(TrainResult result, double samplingRate, double noiseMultiplier, double clipNorm,
                            String sampling, long sampledRows, long clippedRows) {

    /** Validates the fields. */
    public DpTrainResult {
        if (result == null) {
            throw new IllegalArgumentException("result must not be null");
        }
        if (!(samplingRate >= 0 && samplingRate <= 1)) {
            throw new IllegalArgumentException("samplingRate must be in [0, 1], got " + samplingRate);
        }
        if (sampledRows < 0 || clippedRows < 0 || clippedRows > sampledRows) {
            throw new IllegalArgumentException("need 0 <= clippedRows <= sampledRows, got " + clippedRows + " and " + sampledRows);
        }
    }

    /** Number of noisy steps taken (the accountant composes this many sampled Gaussian mechanisms). */
    public int steps() {
        return result.steps();
    }

    /** No data: nothing trained, nothing charged. */
    public static DpTrainResult noData(DpSgdSettings dp) {
        return new DpTrainResult(TrainResult.noData(), 0, dp.noiseMultiplier(), dp.clipNorm(), dp.sampling(), 0, 0);
    }
}
