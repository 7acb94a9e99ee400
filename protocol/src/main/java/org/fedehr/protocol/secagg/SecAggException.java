package org.fedehr.protocol.secagg;

import java.util.Optional;

/**
 * Any protocol violation or fail-closed condition of secure aggregation. The message names the site, the round and
 * the stage; it never carries a value of an update, a key or a share. When the problem can be attributed to one
 * site (a bad signature, a tampered ciphertext, a malformed upload) {@link #culprit()} names it, so the caller can
 * record it as that site's failure rather than the round's.
 */
public class SecAggException extends RuntimeException {

    private final String culprit;

    public SecAggException(String message) {
        this(message, null, null);
    }

    public SecAggException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param culprit the site the problem is attributed to, or {@code null} when it is the round's as a whole */
    public SecAggException(String message, String culprit, Throwable cause) {
        super(message, cause);
        this.culprit = culprit;
    }

    /** The site whose message or behaviour caused this failure, if it can be attributed to one. */
    public Optional<String> culprit() {
        return Optional.ofNullable(culprit);
    }
}
