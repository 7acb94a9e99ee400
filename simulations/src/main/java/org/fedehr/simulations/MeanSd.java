package org.fedehr.simulations;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Mean and population standard deviation (ddof = 0, as in FLamby's tables) of the values that exist; {@code n} counts
 * them (a seed whose run produced no value, e.g. a failed run, is left out and so visible as a smaller n).
 */
public record MeanSd(double mean, double sd, int n) {
    public MeanSd {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, was " + n);
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite, was " + mean);
        if (!(sd >= 0)) throw new IllegalArgumentException("sd must be >= 0, was " + sd);
    }

    /** Over the non-null, finite values; null when there is none. */
    public static MeanSd of(Collection<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) if (d != null && Double.isFinite(d)) v.add(d);
        if (v.isEmpty()) return null;
        double mean = 0;
        for (double d : v) mean += d;
        mean /= v.size();
        double ss = 0;
        for (double d : v) ss += (d - mean) * (d - mean);
        return new MeanSd(mean, Math.sqrt(ss / v.size()), v.size());
    }
}
