package org.fedehr.coordinator;

import java.util.List;
import java.util.UUID;

/** The outcome of a whole run. */
public record RunResult(UUID runId, String strategy, String modelDigest, float[] finalGlobal,
                        List<RoundRecord> rounds, long bytesUp, long bytesDown, String status) {
}
