package org.fedehr.protocol.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A flat parameter vector as it travels on the wire: a global model (kind MODEL) or a site's update
 * (kind UPDATE, with its aggregation weight). See {@link ParamCodec} for the byte layout.
 *
 * @param kind        what the vector is
 * @param runId       the run it belongs to (replays from another run are refused)
 * @param round       the round it belongs to (stale rounds are refused)
 * @param weight      aggregation weight (sample count) of an update; 0 for a model
 * @param modelDigest lowercase hex SHA-256 of the ModelSpec the vector is laid out for (64 chars)
 * @param values      the parameters (float32)
 */
public record ParamFrame(Kind kind, UUID runId, int round, double weight, String modelDigest, float[] values) {

    public enum Kind {
        MODEL(1), UPDATE(2);
        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) if (k.code == code) return k;
            throw new FrameFormatException("unknown frame kind " + code);
        }
    }

    public ParamFrame {
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (runId == null) throw new IllegalArgumentException("runId must not be null");
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        if (!Double.isFinite(weight) || weight < 0)
            throw new IllegalArgumentException("weight must be finite and >= 0, was " + weight);
        if (modelDigest == null || modelDigest.length() != 64)
            throw new IllegalArgumentException("modelDigest must be 64 hex chars, was " + modelDigest);
        HexFormat.of().parseHex(modelDigest); // validates
        if (values == null) throw new IllegalArgumentException("values must not be null");
    }

    /** Index of the first non-finite value, or -1 when all values are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < values.length; i++) if (!Float.isFinite(values[i])) return i;
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamFrame f && kind == f.kind && runId.equals(f.runId) && round == f.round
                && Double.compare(weight, f.weight) == 0 && modelDigest.equals(f.modelDigest)
                && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(kind, runId, round, weight, modelDigest) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ParamFrame[" + kind + ", run=" + runId + ", round=" + round + ", weight=" + weight
                + ", digest=" + modelDigest.substring(0, 12) + "…, length=" + values.length + "]";
    }
}
