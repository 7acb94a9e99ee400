package org.fedehr.protocol.privacy;

/**
 * One round's entry in a {@link PrivacyLedger}: the round's own RDP curve, the round's (ε, δ) taken alone, and the
 * cumulative (ε, δ) of every round recorded so far including this one (composed in RDP, then converted — much
 * tighter than adding the rounds' ε).
 */
public record PrivacySpend(long round, RdpCurve roundRdp, DpGuarantee roundAlone, DpGuarantee cumulative) {
    public PrivacySpend {
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, got " + round);
        if (roundRdp == null || roundAlone == null || cumulative == null)
            throw new IllegalArgumentException("roundRdp, roundAlone and cumulative must not be null");
    }
}
