package org.fedehr.protocol.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A site's update under secure aggregation, as it travels: ring elements of Z_{2^32}, each the fixed-point encoding
 * of one weighted, clipped parameter delta plus the site's masks, and a last element carrying the site's masked
 * weight. Alone it is indistinguishable from uniform noise; only the sum over the round's survivors, once the masks
 * are removed, means anything. Same header as {@link ParamCodec} with dtype {@link ParamCodec#DTYPE_RING32}, kind
 * {@link ParamCodec#KIND_MASKED} and weight 0 (the weight is inside the masked vector).
 *
 * @param runId       the run
 * @param round       the round
 * @param modelDigest the ModelSpec the update is laid out for (64 hex chars)
 * @param values      the masked ring elements: the model's parameter count plus one (the weight)
 */
public record MaskedFrame(UUID runId, int round, String modelDigest, int[] values) {
    public MaskedFrame {
        if (runId == null) throw new IllegalArgumentException("runId must not be null");
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        if (modelDigest == null || modelDigest.length() != 64)
            throw new IllegalArgumentException("modelDigest must be 64 hex chars, was " + modelDigest);
        HexFormat.of().parseHex(modelDigest);
        if (values == null) throw new IllegalArgumentException("values must not be null");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedFrame f && runId.equals(f.runId) && round == f.round && modelDigest.equals(f.modelDigest)
                && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(runId, round, modelDigest) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "MaskedFrame[run=" + runId + ", round=" + round + ", digest=" + modelDigest.substring(0, 12) + "…, length="
                + values.length + "]";
    }
}
