package org.fedehr.protocol.net;

import java.util.Locale;

/**
 * A transport-level failure (no HTTP response) in words a user can act on: "connection refused" rather than
 * {@code io.netty.channel.AbstractChannel$AnnotatedConnectException}. Shared by the site's coordinator client and
 * the data fetcher. {@link #transientFailure()} says whether trying again later can help (the peer not started yet,
 * a dropped connection, a timeout); a TLS failure (wrong or untrusted certificate) or an unknown error does not.
 */
public enum NetworkFailure {
    CONNECTION_REFUSED("connection refused", true),
    CONNECTION_RESET("connection reset", true),
    CONNECTION_CLOSED("connection closed", true),
    TIMED_OUT("timed out", true),
    HOST_NOT_FOUND("host not found", true),
    NO_ROUTE("no route to host", true),
    TLS("TLS handshake failed", false),
    OTHER("network error", false);

    private final String phrase;
    private final boolean transientFailure;

    NetworkFailure(String phrase, boolean transientFailure) {
        this.phrase = phrase;
        this.transientFailure = transientFailure;
    }

    /** Short phrase for messages, e.g. {@code connection refused}. */
    public String phrase() {
        return phrase;
    }

    /** Whether retrying later can succeed. */
    public boolean transientFailure() {
        return transientFailure;
    }

    /**
     * Classifies a failure by the exception classes and messages along its cause chain: the first specific kind
     * found wins; a bare {@link java.net.ConnectException} (the JDK HTTP client's refusal carries no message) is a
     * refusal; a closed connection counts only when nothing more specific is known.
     */
    public static NetworkFailure of(Throwable failure) {
        boolean connect = false, closed = false;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            String cls = t.getClass().getName();
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException
                    || msg.contains("failed to resolve") || msg.contains("name or service not known")
                    || msg.contains("nodename nor servname")) return HOST_NOT_FOUND;
            if (t instanceof javax.net.ssl.SSLException || cls.endsWith("SslHandshakeTimeoutException")) return TLS;
            if (t instanceof java.net.NoRouteToHostException || msg.contains("no route to host")
                    || msg.contains("network is unreachable")) return NO_ROUTE;
            if (msg.contains("connection refused")) return CONNECTION_REFUSED;
            if (msg.contains("connection reset") || msg.contains("broken pipe")) return CONNECTION_RESET;
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException || cls.endsWith("ConnectTimeoutException")
                    || msg.contains("timed out") || msg.contains("timeout")) return TIMED_OUT;
            if (t instanceof java.net.ConnectException) connect = true;
            if (cls.endsWith("HttpClosedException") || cls.endsWith("ClosedChannelException") || t instanceof java.io.EOFException
                    || msg.contains("connection was closed") || msg.contains("connection closed")) closed = true;
        }
        if (connect) return CONNECTION_REFUSED;
        return closed ? CONNECTION_CLOSED : OTHER;
    }
}
