package org.fedehr.coordinator;

import java.util.HexFormat;

/**
 * The model a run starts from: its spec (canonical JSON and digest) and initial flat parameters. The
 * coordinator never builds networks itself; whoever launches it supplies this once the federation's
 * harmonisation statistics (and so the input width) are known.
 */
public record InitialModel(String specJson, String digest, float[] parameters) {
    public InitialModel {
        if (specJson == null || specJson.isBlank()) throw new IllegalArgumentException("specJson must not be blank");
        if (digest == null || digest.length() != 64) throw new IllegalArgumentException("digest must be 64 hex chars, was " + digest);
        HexFormat.of().parseHex(digest);
        if (parameters == null || parameters.length == 0) throw new IllegalArgumentException("parameters must not be empty");
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) throw new IllegalArgumentException("initial parameter " + i + " is not finite");
        }
    }
}
