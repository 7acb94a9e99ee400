package org.fedehr.protocol.stats;

/**
 * Aggregate of one numeric feature over a set of rows: how many rows had a value, the sum and sum of
 * squares of those values, and how many rows had it missing. Only aggregates ever leave a site.
 */
public record NumericSummary(long count, double sum, double sumSquares, long missing) {

    public static final NumericSummary EMPTY = new NumericSummary(0, 0.0, 0.0, 0);

    public NumericSummary {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, was " + count);
        if (missing < 0) throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        if (!Double.isFinite(sum)) throw new IllegalArgumentException("sum must be finite, was " + sum);
        if (!Double.isFinite(sumSquares) || sumSquares < 0)
            throw new IllegalArgumentException("sumSquares must be finite and >= 0, was " + sumSquares);
    }

    public NumericSummary plus(NumericSummary o) {
        return new NumericSummary(count + o.count, sum + o.sum, sumSquares + o.sumSquares, missing + o.missing);
    }

    /** Adds one observed value. */
    public NumericSummary with(double value) {
        return new NumericSummary(count + 1, sum + value, sumSquares + value * value, missing);
    }

    public NumericSummary withMissing() {
        return new NumericSummary(count, sum, sumSquares, missing + 1);
    }

    /** Mean of the observed values; 0 when nothing was observed. */
    public double mean() {
        return count == 0 ? 0.0 : sum / count;
    }

    /** Unbiased (n-1) standard deviation of the observed values; 0 with fewer than two values. */
    public double sampleStd() {
        if (count < 2) return 0.0;
        double var = (sumSquares - sum * sum / count) / (count - 1);
        return var <= 0 ? 0.0 : Math.sqrt(var);
    }
}
