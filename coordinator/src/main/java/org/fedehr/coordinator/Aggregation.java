package org.fedehr.coordinator;

/**
 * What a strategy's aggregation produced: the next global parameters, or none with a reason
 * (failures are data: "0 successful updates", "total weight 0", ...).
 */
public record Aggregation(float[] newGlobal, String failureReason) {
    public static Aggregation of(float[] newGlobal) {
        return new Aggregation(newGlobal, null);
    }

    public static Aggregation none(String reason) {
        return new Aggregation(null, reason);
    }

    public boolean updated() {
        return newGlobal != null;
    }
}
