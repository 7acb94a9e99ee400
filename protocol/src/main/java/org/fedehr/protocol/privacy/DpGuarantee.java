package org.fedehr.protocol.privacy;

/**
 * An (ε, δ)-DP guarantee derived from an RDP curve: the smallest ε over the curve's orders, the order that achieved it
 * and the conversion used. {@code order} is NaN when no order was needed: ε = 0 (every RDP value is 0 — q = 0 or no
 * steps: the data were never touched) or ε = ∞ (σ = 0 with q &gt; 0: no privacy at any order).
 */
public record DpGuarantee(double epsilon, double delta, double order, Conversion conversion) {
    public DpGuarantee {
        if (Double.isNaN(epsilon) || epsilon < 0) throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        Checks.delta(delta);
        if (conversion == null) throw new IllegalArgumentException("conversion must not be null");
    }

    /** True when ε is finite and no larger than {@code epsilonMax}. */
    public boolean within(double epsilonMax) {
        return epsilon <= epsilonMax;
    }
}
