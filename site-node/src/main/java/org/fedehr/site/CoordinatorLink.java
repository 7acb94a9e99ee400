package org.fedehr.site;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.net.NetworkFailure;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.util.Optional;

/**
 * How a site node talks to its coordinator. Every call is outbound from the site; implementations are the
 * HTTPS client ({@link HttpCoordinatorLink}) and, in simulations, in-process or fault-injecting wrappers.
 * Calls block the calling (site worker) thread, never an event loop.
 */
public interface CoordinatorLink extends AutoCloseable {
    RegisterResponse register(String siteId) throws LinkException;

    /** The next task after {@code afterSeq}, or empty when the long-poll timed out. */
    Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException;

    ParamFrame model(int version) throws LinkException;

    FeatureStatistics statistics() throws LinkException;

    /** Sends a reply; returns the coordinator's acknowledgement (status code, code, message). */
    Ack reply(ReplyEnvelope envelope) throws LinkException;

    /** Bytes this link has sent and received in message bodies. */
    long bytesSent();

    long bytesReceived();

    /** Where the coordinator is, for messages (e.g. {@code https://127.0.0.1:8443}). */
    default String address() {
        return "the coordinator";
    }

    @Override
    default void close() {
    }

    record Ack(int status, String code, String message) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** A call that failed: transport error or an unexpected HTTP status (named in the message). */
    class LinkException extends Exception {
        private final int status;
        private final NetworkFailure failure;

        /** @param cause for a transport error (status 0), the failure it is classified by (see {@link NetworkFailure}) */
        public LinkException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.failure = status == 0 && cause != null && !(cause instanceof InterruptedException) ? NetworkFailure.of(cause) : null;
        }

        /** HTTP status, or 0 for a transport error. */
        public int status() {
            return status;
        }

        /** What went wrong on the wire, or null for an HTTP error (or a failure that is not a network one). */
        public NetworkFailure failure() {
            return failure;
        }

        /** A transport failure that trying again later can fix (refused, reset, timed out, ...). */
        public boolean transientFailure() {
            return failure != null && failure.transientFailure();
        }
    }
}
