package org.fedehr.protocol.msg;

/** What a site is asked to do. */
public enum TaskKind {
    /** compute local harmonisation statistics (aggregates only) over the training rows */
    STATISTICS,
    /** train the global model locally and return a parameter delta */
    TRAIN,
    /** evaluate the global model on the local test split */
    EVALUATE,
    /** secure aggregation, stage 0: make ephemeral key pairs for this round and return their signed public halves */
    SECAGG_KEYS,
    /** secure aggregation, stage 1: check the roster's signatures and return Shamir shares encrypted to each peer */
    SECAGG_SHARES,
    /** secure aggregation, stage 3: reveal the shares the coordinator needs to remove the masks (never both kinds for a peer) */
    SECAGG_UNMASK,
    /** the run is over; the site may stop */
    FINISHED
}
