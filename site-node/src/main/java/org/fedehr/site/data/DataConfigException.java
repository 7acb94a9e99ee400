package org.fedehr.site.data;

/** A configuration file (site data config, feature dictionary) is invalid; the message names the file and key. */
public class DataConfigException extends RuntimeException {
    public DataConfigException(String message) {
        super(message);
    }

    public DataConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
