package org.fedehr.site.sequence;

/**
 * One stay already aggregated onto the regular grid, before harmonisation: per bin and concept the aggregated value
 * (NaN when the concept was not observed in that bin), the static attributes (NaN when missing), the number of bins
 * the stay actually covers, and its label. Patient-level: never leaves the site. Arrays are owned by the record.
 *
 * @param stayId  the site's local id (for error messages at the site only)
 * @param label   class index (0/1 for a binary task)
 * @param bins    {@code [steps][concepts]}, NaN = not observed
 * @param statics one value per static attribute, NaN = missing
 * @param length  bins covered by the stay, in {@code [1, steps]} (later bins are padding, masked for the model)
 */
public record BinnedStay(String stayId, int label, double[][] bins, double[] statics, int length) {
    public BinnedStay {
        if (bins == null || statics == null) throw new IllegalArgumentException("stay " + stayId + ": bins and statics must not be null");
        if (label < 0) throw new IllegalArgumentException("stay " + stayId + ": label must be >= 0, got " + label);
        if (length < 1 || length > bins.length)
            throw new IllegalArgumentException("stay " + stayId + ": length must be in [1, " + bins.length + "], got " + length);
        for (double[] b : bins) {
            for (double v : b) {
                if (Double.isInfinite(v)) throw new IllegalArgumentException("stay " + stayId + ": an aggregated value is infinite");
            }
        }
    }
}
