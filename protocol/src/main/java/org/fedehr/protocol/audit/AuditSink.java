package org.fedehr.protocol.audit;

/**
 * Where a party records its exchanges. {@link #NONE} drops them; {@link AuditLedger} appends them to a signed,
 * hash-chained file. Implementations must be thread-safe and must never throw for a well-formed event.
 */
@FunctionalInterface
public interface AuditSink {
    /** Drops every event. */
    AuditSink NONE = e -> {
    };

    void record(AuditEvent event);
}
