package org.fedehr.coordinator;

/** A validated update from one site: its parameter delta and its aggregation weight (training rows). */
public record SiteUpdate(String siteId, double weight, float[] delta) {
    public SiteUpdate {
        if (siteId == null) throw new IllegalArgumentException("siteId must not be null");
        if (!Double.isFinite(weight) || weight < 0) throw new IllegalArgumentException("weight must be finite and >= 0, was " + weight);
        if (delta == null) throw new IllegalArgumentException("delta must not be null");
    }
}
