package org.fedehr.coordinator;

/**
 * Secure-aggregation settings of a run (Bonawitz et al. 2017; see {@code org.fedehr.protocol.secagg}).
 *
 * @param threshold  t: how many sites must survive every stage of a round for it to complete, and how many shares
 *                   reconstruct a dropped site's masking key or a survivor's self-mask seed; 0 = automatic,
 *                   {@code max(2, floor(n/2) + 1)} of the n sites selected for the round (a colluding minority of
 *                   fewer than t sites, even with the coordinator, cannot unmask anyone)
 * @param clipRange  every update value is clipped to [-clipRange, clipRange] before fixed-point encoding; clipped
 *                   values are counted and reported by the site
 * @param maxStep    largest accepted resolution of a site's encoded update at the weight cap, {@code 1/(scale·weightCap)}
 *                   (the decoded mean over total weight W moves in steps of {@code 1/(scale·W)}); a round whose 32-bit
 *                   ring could not deliver it (too many sites × weight × range) is refused up front with a clear message
 * @param weightCap  the largest weight (training rows) one site may contribute; 0 = the largest per-site row count
 *                   of the statistics phase. Fixes the fixed-point scale so that the sum cannot overflow.
 * @param stageTimeout longest wait for the key, share and unmasking stages (they involve no training; the training
 *                   stage keeps the round deadline); never longer than the round deadline
 */
public record SecureAggregation(int threshold, double clipRange, double maxStep, int weightCap, java.time.Duration stageTimeout) {
    public static final double DEFAULT_CLIP_RANGE = 8.0;
    public static final double DEFAULT_MAX_STEP = 1e-6;
    public static final java.time.Duration DEFAULT_STAGE_TIMEOUT = java.time.Duration.ofSeconds(60);
    public static final SecureAggregation DEFAULTS = new SecureAggregation(0, DEFAULT_CLIP_RANGE, DEFAULT_MAX_STEP, 0);

    /** With the default stage timeout. */
    public SecureAggregation(int threshold, double clipRange, double maxStep, int weightCap) {
        this(threshold, clipRange, maxStep, weightCap, DEFAULT_STAGE_TIMEOUT);
    }

    public SecureAggregation {
        if (threshold < 0 || threshold == 1)
            throw new IllegalArgumentException("threshold must be 0 (automatic) or >= 2, was " + threshold);
        if (!(clipRange > 0) || !Double.isFinite(clipRange))
            throw new IllegalArgumentException("clip range must be > 0, was " + clipRange);
        if (!(maxStep > 0) || !Double.isFinite(maxStep))
            throw new IllegalArgumentException("max step must be > 0, was " + maxStep);
        if (weightCap < 0) throw new IllegalArgumentException("weight cap must be >= 0 (0 = from the statistics phase), was " + weightCap);
        if (stageTimeout == null || stageTimeout.isNegative() || stageTimeout.isZero())
            throw new IllegalArgumentException("stage timeout must be > 0, was " + stageTimeout);
    }

    /** t for a round with {@code selected} sites. */
    public int thresholdFor(int selected) {
        return threshold > 0 ? threshold : Math.max(2, selected / 2 + 1);
    }
}
