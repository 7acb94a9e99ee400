package org.fedehr.protocol.secagg;

/**
 * Public parameters of one secure-aggregation round, decided by the coordinator and identical for every site.
 *
 * <p>Updates are encoded in the ring Z<sub>2<sup>32</sup></sub> (Java {@code int} arithmetic with wrap-around): element
 * i of a site's update becomes {@code round(clamp(x[i], ±clipRange) · weight · scale)}, and one extra element carries
 * the integer {@code weight} itself. The sum over all sites is decoded as a signed 32-bit integer, so the parameters
 * must keep that sum inside {@code [-(2^31-1), 2^31-1]}; {@link #choose} picks the largest scale that does, and
 * {@link #requireCapacity} refuses a site count the parameters cannot carry — the protocol never returns a wrapped,
 * wrong number.
 *
 * @param threshold the Shamir threshold t: at least t sites must survive each stage, and any t sites together can
 *                  recover a peer's secrets. A colluding group of fewer than t sites (with or without the coordinator)
 *                  learns nothing beyond the sum. Against a coordinator that lies about who dropped, choose 2t &gt; n + c
 *                  (c = sites that may collude with it; e.g. t &gt; 2n/3): then it cannot collect both secrets of one peer
 * @param clipRange every value is clipped to [-clipRange, clipRange] before encoding
 * @param scale     fixed-point scale: the weighted value w·x is rounded to a multiple of 1/scale
 * @param weightCap the largest weight (e.g. sample count) a site may contribute
 */
public record SecAggConfig(int threshold, double clipRange, double scale, int weightCap) {

    /** Largest magnitude a decoded signed ring element can have. */
    static final long RING_MAX = Integer.MAX_VALUE;

    public SecAggConfig {
        if (threshold < 2) throw new IllegalArgumentException("threshold must be >= 2, was " + threshold);
        if (!(clipRange > 0) || !Double.isFinite(clipRange))
            throw new IllegalArgumentException("clipRange must be positive and finite, was " + clipRange);
        if (!(scale >= 1) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be >= 1 and finite, was " + scale);
        if (weightCap < 1) throw new IllegalArgumentException("weightCap must be >= 1, was " + weightCap);
        if (perSiteMagnitude(clipRange, scale, weightCap) > RING_MAX)
            throw new IllegalArgumentException("clipRange " + clipRange + " x weightCap " + weightCap + " x scale " + scale
                    + " does not fit one signed 32-bit ring element; lower scale, clipRange or weightCap");
    }

    /**
     * Chooses the fixed-point scale so that the sum of {@code sites} sites' weighted, clipped values
     * (|w·x| &lt;= weightCap·clipRange each, plus half a unit of rounding) and the sum of their weights cannot overflow the
     * signed 32-bit range: {@code scale = floor((2^31 - 1 - sites) / (sites · weightCap · clipRange))}.
     *
     * @param maxStep the coarsest acceptable resolution of a decoded mean at total weight 1, i.e. {@code 1/scale}
     *                (see {@link #step}); the resolution at total weight W is {@code 1/(scale·W)}, finer still
     * @throws SecAggException when no scale &gt;= 1 exists or its resolution is coarser than {@code maxStep}; the message
     *                         names sites, weightCap and clipRange and says what to lower
     */
    public static SecAggConfig choose(int sites, int threshold, double clipRange, int weightCap, double maxStep) {
        if (sites < 1) throw new IllegalArgumentException("sites must be >= 1, was " + sites);
        if (threshold > sites)
            throw new IllegalArgumentException("threshold " + threshold + " exceeds the number of sites " + sites);
        if (!(maxStep > 0)) throw new IllegalArgumentException("maxStep must be positive, was " + maxStep);
        if (!(clipRange > 0) || !Double.isFinite(clipRange))
            throw new IllegalArgumentException("clipRange must be positive and finite, was " + clipRange);
        if (weightCap < 1) throw new IllegalArgumentException("weightCap must be >= 1, was " + weightCap);
        String what = sites + " sites x weightCap " + weightCap + " x clipRange " + clipRange;
        if ((long) sites * weightCap > RING_MAX - sites)
            throw new SecAggException("secure aggregation cannot carry " + sites + " sites x weightCap " + weightCap
                    + ": the total weight would overflow the 32-bit ring; lower weightCap (e.g. cap sample counts) or the number of sites");
        double scale = Math.floor((RING_MAX - sites) / ((double) sites * weightCap * clipRange));
        if (scale < 1)
            throw new SecAggException("secure aggregation cannot carry " + what + " = "
                    + ((double) sites * weightCap * clipRange) + " in the signed 32-bit ring (needs < " + (RING_MAX - sites)
                    + "); lower weightCap or clipRange, or aggregate fewer sites per round");
        if (1 / scale > maxStep)
            throw new SecAggException("secure aggregation of " + what + " allows a fixed-point scale of only " + scale
                    + ", a quantisation step of " + (1 / scale) + " > maxStep " + maxStep
                    + "; lower weightCap or clipRange (or the number of sites), or accept a larger maxStep");
        return new SecAggConfig(threshold, clipRange, scale, weightCap);
    }

    /**
     * The quantisation step of a decoded mean over total weight W: {@code 1/(scale·W)}. Each contributing site's w·x is
     * rounded to a multiple of 1/scale, so the decoded mean moves in steps of this size, and each contributor adds at
     * most half a step of rounding error: |decoded mean − exact mean of the clipped values| &lt;= contributors · step(W) / 2
     * (see {@link #maxMeanError}).
     */
    public double step(double totalWeight) {
        if (!(totalWeight > 0)) throw new IllegalArgumentException("totalWeight must be positive, was " + totalWeight);
        return 1 / (scale * totalWeight);
    }

    /** Bound on |decoded mean − exact weighted mean of the clipped values| for {@code contributors} sites of total weight W. */
    public double maxMeanError(int contributors, double totalWeight) {
        return contributors * step(totalWeight) / 2;
    }

    /** The most sites whose encoded updates and weights these parameters can sum without overflowing the ring. */
    public int maxSites() {
        long byValues = (long) Math.floor(RING_MAX / (perSiteMagnitude(clipRange, scale, weightCap) + 1));
        long byWeights = RING_MAX / weightCap;
        return (int) Math.min(255, Math.min(byValues, byWeights));
    }

    /** Throws a {@link SecAggException} naming the parameters when {@code sites} sites could overflow the ring. */
    public void requireCapacity(int sites) {
        if (sites > maxSites())
            throw new SecAggException("secure aggregation parameters (clipRange " + clipRange + ", weightCap " + weightCap + ", scale "
                    + scale + ") can carry at most " + maxSites() + " sites without overflowing the 32-bit ring, not " + sites
                    + "; choose the scale with SecAggConfig.choose for this many sites");
    }

    private static double perSiteMagnitude(double clipRange, double scale, int weightCap) {
        return clipRange * weightCap * scale;
    }
}
