package org.fedehr.protocol.audit;

/** What kind of message an audited exchange carried. */
public enum AuditKind {
    /** federated statistics (counts, sums, category counts) */
    STATISTICS,
    /** secure aggregation stage 0: signed ephemeral public keys */
    SECAGG_KEYS,
    /** secure aggregation stage 1: encrypted secret shares */
    SECAGG_SHARES,
    /** a (masked) model update */
    TRAIN,
    /** secure aggregation stage 3: revealed shares for unmasking */
    SECAGG_UNMASK,
    /** evaluation metrics */
    EVALUATE,
    /** a global model download */
    MODEL,
    /** a task instruction from the coordinator */
    TASK,
    /** a site's refusal of a task (policy) */
    REFUSAL,
    /** an error reply */
    ERROR,
    /** the run's end */
    FINISHED
}
