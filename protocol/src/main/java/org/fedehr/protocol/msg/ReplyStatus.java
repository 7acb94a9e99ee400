package org.fedehr.protocol.msg;

/** How a site's task ended. */
public enum ReplyStatus {
    /** done, with a result */
    OK,
    /** nothing to contribute: the site has no rows for this task (never an error, never NaN) */
    NO_DATA,
    /** the task failed at the site; errorClass and message say why */
    FAILED,
    /** the site's policy refused the task; message gives the reason code */
    REFUSED
}
