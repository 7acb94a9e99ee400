package org.fedehr.site.policy;

import java.util.Set;

/**
 * The stable reason codes a site gives when its policy refuses an instruction (sent as the message of a
 * {@code REFUSED} reply, recorded by the coordinator as a failure "refused" with this reason).
 */
public final class Refusal {
    public static final String UNAPPROVED_MODEL = "unapproved model";
    public static final String COHORT_BELOW_MINIMUM = "cohort below minimum";
    public static final String BUDGET_EXHAUSTED = "budget exhausted";
    public static final String TASK_KIND_NOT_ALLOWED = "task kind not allowed";
    public static final String TOO_MANY_ROUNDS = "too many rounds";
    public static final String SECURE_AGGREGATION_REQUIRED = "secure aggregation required";
    /** The site built a reply that its egress guard would not let out; the reply was replaced by this refusal. */
    public static final String EGRESS_BLOCKED = "egress blocked";

    public static final Set<String> CODES = Set.of(UNAPPROVED_MODEL, COHORT_BELOW_MINIMUM, BUDGET_EXHAUSTED,
            TASK_KIND_NOT_ALLOWED, TOO_MANY_ROUNDS, SECURE_AGGREGATION_REQUIRED, EGRESS_BLOCKED);

    private Refusal() {
    }
}
