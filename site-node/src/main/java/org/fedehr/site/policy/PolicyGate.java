package org.fedehr.site.policy;

import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks an instruction against the site's policy before any data is touched: only the number of rows (which the
 * site knows without reading them) and the instruction itself are looked at. Checks, in order: task kind, round,
 * model approval (the digest is recomputed from the spec the instruction carries, so a wrong digest is not approved),
 * secure aggregation, cohort size, privacy budget. Nothing in an instruction can change the policy.
 */
public final class PolicyGate {
    private final SitePolicy policy;
    private final String siteId;
    private final ApprovalStore approvals;
    private final PrivacyBudget budget;
    private PrivacyAccountant accountant = PrivacyAccountant.NONE;

    public PolicyGate(SitePolicy policy, String siteId, Clock clock) {
        this(policy, siteId, policy.manualApproval() ? new ApprovalStore(policy.approvalsFile(), clock) : null,
                policy.budget() == null ? null : new PrivacyBudgetStore(policy.budget(), siteId, clock));
    }

    public PolicyGate(SitePolicy policy, String siteId, ApprovalStore approvals, PrivacyBudget budget) {
        if (policy == null || siteId == null) throw new IllegalArgumentException("policy and siteId must not be null");
        this.policy = policy;
        this.siteId = siteId;
        this.approvals = approvals;
        this.budget = budget;
    }

    public SitePolicy policy() {
        return policy;
    }

    /** The project's budget at this site (null when the policy has none). */
    public PrivacyBudget budget() {
        return budget;
    }

    /** Where the cost of a TRAIN round comes from (the DP accountant); default: rounds cost nothing. */
    public PolicyGate accountant(PrivacyAccountant a) {
        this.accountant = a == null ? PrivacyAccountant.NONE : a;
        return this;
    }

    public PrivacyAccountant accountant() {
        return accountant;
    }

    /**
     * The reason code ({@link Refusal}) for refusing {@code t}, or empty to admit it.
     *
     * @param trainRows how many training rows this site has (a count, not the rows)
     * @param testRows  how many test rows it has
     */
    public Optional<String> check(TaskInstruction t, int trainRows, int testRows) {
        TaskKind kind = t.kind();
        if (kind == TaskKind.FINISHED) return Optional.empty();
        TaskKind task = SitePolicy.taskOf(kind);
        if (!policy.allowedTasks().contains(task)) return Optional.of(Refusal.TASK_KIND_NOT_ALLOWED);
        if (task != TaskKind.STATISTICS && policy.maxRounds() > 0 && t.round() > policy.maxRounds())
            return Optional.of(Refusal.TOO_MANY_ROUNDS);
        if (kind == TaskKind.TRAIN || kind == TaskKind.EVALUATE || kind == TaskKind.SECAGG_KEYS) {
            if (!approved(t)) return Optional.of(Refusal.UNAPPROVED_MODEL);
        }
        if (kind == TaskKind.TRAIN && t.secagg() == null && policy.secureAggregationRequired())
            return Optional.of(Refusal.SECURE_AGGREGATION_REQUIRED);
        int cohort = kind == TaskKind.EVALUATE ? testRows : trainRows;
        if (policy.minCohort() > 0 && (kind == TaskKind.STATISTICS || kind == TaskKind.TRAIN || kind == TaskKind.EVALUATE
                || kind == TaskKind.SECAGG_KEYS) && cohort < policy.minCohort())
            return Optional.of(Refusal.COHORT_BELOW_MINIMUM);
        if (kind == TaskKind.TRAIN && budget != null) {
            PrivacyAccountant.Cost c = accountant.roundCost(t);
            if (budget.wouldExceed(c.epsilon(), c.delta())) return Optional.of(Refusal.BUDGET_EXHAUSTED);
        }
        return Optional.empty();
    }

    /** The names of the checks {@link #check} applies to this instruction (for the audit ledger), e.g. "model approved". */
    public java.util.List<String> checksApplied(TaskInstruction t) {
        java.util.List<String> out = new java.util.ArrayList<>();
        TaskKind kind = t.kind();
        if (kind == TaskKind.FINISHED) return out;
        out.add("task kind allowed");
        if (policy.maxRounds() > 0 && SitePolicy.taskOf(kind) != TaskKind.STATISTICS) out.add("round <= " + policy.maxRounds());
        if (policy.approvedModels() != null && (kind == TaskKind.TRAIN || kind == TaskKind.EVALUATE || kind == TaskKind.SECAGG_KEYS))
            out.add("model approved");
        if (kind == TaskKind.TRAIN && policy.secureAggregationRequired()) out.add("secure aggregation required");
        if (policy.minCohort() > 1 && (kind == TaskKind.STATISTICS || kind == TaskKind.TRAIN || kind == TaskKind.EVALUATE
                || kind == TaskKind.SECAGG_KEYS)) out.add("cohort >= " + policy.minCohort());
        if (kind == TaskKind.TRAIN && budget != null) out.add("privacy budget");
        return out;
    }

    /** Spends a TRAIN round's cost from the budget (after the update was built; no-op without a budget or cost). */
    public void spend(TaskInstruction t) {
        if (budget == null || t.kind() != TaskKind.TRAIN) return;
        PrivacyAccountant.Cost c = accountant.roundCost(t);
        if (c.isZero()) return;
        budget.spend(c.epsilon(), c.delta(), String.valueOf(t.runId()));
        accountant.spent(t);
    }

    private boolean approved(TaskInstruction t) {
        if (t.modelDigest() == null || t.modelSpecJson() == null) return false;
        String actual = sha256(t.modelSpecJson());
        if (!actual.equals(t.modelDigest())) return false;    // the spec the site would run is not the one announced
        if (policy.listed(actual)) return true;
        if (approvals != null) {
            if (approvals.isApproved(actual)) return true;
            approvals.recordPending(actual, String.valueOf(t.runId()), t.round(), siteId, t.kind().name());
        }
        return false;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
