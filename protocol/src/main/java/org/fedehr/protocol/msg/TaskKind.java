package org.fedehr.protocol.msg;

/** What a site is asked to do. */
public enum TaskKind {
    /** compute local harmonisation statistics (aggregates only) over the training rows */
    STATISTICS,
    /** train the global model locally and return a parameter delta */
    TRAIN,
    /** evaluate the global model on the local test split */
    EVALUATE,
    /** the run is over; the site may stop */
    FINISHED
}
