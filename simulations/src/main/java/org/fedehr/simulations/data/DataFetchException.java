package org.fedehr.simulations.data;

/** Raised when a data file cannot be fetched or fails its integrity check. */
public final class DataFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFetchException(String message) {
        super(message);
    }

    public DataFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
