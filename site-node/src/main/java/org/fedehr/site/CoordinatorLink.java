package org.fedehr.site;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
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

        public LinkException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** HTTP status, or 0 for a transport error. */
        public int status() {
            return status;
        }
    }
}
