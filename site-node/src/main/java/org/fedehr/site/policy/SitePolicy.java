package org.fedehr.site.policy;

import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.site.data.ConfigReader;
import org.fedehr.site.data.DataConfigException;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a hospital lets its site node do, read only from a file the hospital owns (never from an instruction: the
 * coordinator cannot switch any of it off). Example ({@code configs/sites/heart-disease/policy.yaml}):
 * <pre>
 * approved_models:                 # SHA-256 digests of approved ModelSpecs (canonical JSON)
 *   - 3f1c...e9
 * manual_approval: false           # true: unlisted digests are recorded as pending until `fedehr site approve`
 * approvals_file: policy.approvals.json   # default: &lt;policy file stem&gt;.approvals.json next to the policy
 * min_cohort: 10                   # training/test rows and every released count must be >= this
 * allowed_tasks: [statistics, train, evaluate]
 * max_rounds: 100                  # 0 = no limit
 * secure_aggregation_required: true
 * privacy_budget: {project: heart-disease, epsilon: 10.0, delta: 1.0e-5, state_file: policy.budget.json}
 * differential_privacy: {clip_norm: 1.0, noise_multiplier: 1.22}   # DP-SGD at every TRAIN (Poisson sampling), or
 * differential_privacy: {clip_norm: 1.0, target_epsilon: 3.0, rounds: 20}   # σ chosen for ε over that many rounds
 * </pre>
 * Unknown keys are refused with the file, line and key.
 *
 * @param source                    the policy file (null for {@link #permissive()})
 * @param approvedModels            approved ModelSpec digests; null = any model (only {@link #permissive()})
 * @param manualApproval            unlisted digests are recorded as pending and may be approved locally
 * @param approvalsFile             the local approvals store (null when manual approval is off)
 * @param minCohort                 minimum number of rows behind anything released (0 or 1 = no minimum)
 * @param allowedTasks              STATISTICS, TRAIN (including its secure-aggregation stages), EVALUATE
 * @param maxRounds                 highest round this site takes part in (0 = no limit)
 * @param secureAggregationRequired TRAIN without secure aggregation is refused, and plain updates never leave
 * @param budget                    the per-project privacy budget, or null for none
 * @param dpSgd                     DP-SGD every TRAIN round uses at this site, or null to train without differential
 *                                  privacy; with a budget, each round is charged by the RDP accountant and refused when
 *                                  it would exceed the budget
 */
public record SitePolicy(Path source, Set<String> approvedModels, boolean manualApproval, Path approvalsFile, int minCohort,
                         Set<TaskKind> allowedTasks, int maxRounds, boolean secureAggregationRequired, Budget budget,
                         Dp dpSgd) {

    /**
     * DP-SGD at this site: {@code settings} (clip norm, sampling, and the noise multiplier when it is given), or, with
     * {@code targetEpsilon}, the noise multiplier the site computes at its first TRAIN round so that {@code rounds}
     * rounds of the announced plan on its own rows spend exactly that ε at the budget's δ (RDP accountant).
     */
    public record Dp(org.fedehr.models.DpSgdSettings settings, Double targetEpsilon, int rounds) {
        public Dp {
            if (settings == null) throw new IllegalArgumentException("DP-SGD settings must not be null");
            if (targetEpsilon != null && (!(targetEpsilon > 0) || rounds < 1))
                throw new IllegalArgumentException("target_epsilon must be > 0 with rounds >= 1, was " + targetEpsilon + " over " + rounds);
        }
    }

    public SitePolicy(Path source, Set<String> approvedModels, boolean manualApproval, Path approvalsFile, int minCohort,
                      Set<TaskKind> allowedTasks, int maxRounds, boolean secureAggregationRequired, Budget budget) {
        this(source, approvedModels, manualApproval, approvalsFile, minCohort, allowedTasks, maxRounds, secureAggregationRequired,
                budget, null);
    }

    /** The same policy with its budget's spending kept in another state file (a simulation keeps it in its run folder). */
    public SitePolicy withBudgetState(Path stateFile) {
        return budget == null ? this : new SitePolicy(source, approvedModels, manualApproval, approvalsFile, minCohort,
                allowedTasks, maxRounds, secureAggregationRequired,
                new Budget(budget.project(), budget.epsilon(), budget.delta(), stateFile), dpSgd);
    }

    /** A per-project (ε, δ) budget, its spending persisted in {@code stateFile} across runs. */
    public record Budget(String project, double epsilon, double delta, Path stateFile) {
        public Budget {
            if (project == null || project.isBlank()) throw new IllegalArgumentException("budget project must not be empty");
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) throw new IllegalArgumentException("budget epsilon must be >= 0, was " + epsilon);
            if (!(delta >= 0 && delta < 1)) throw new IllegalArgumentException("budget delta must be in [0, 1), was " + delta);
            if (stateFile == null) throw new IllegalArgumentException("budget state file must not be null");
        }
    }

    static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    static final Set<String> KEYS = Set.of("approved_models", "manual_approval", "approvals_file", "min_cohort", "allowed_tasks",
            "max_rounds", "secure_aggregation_required", "privacy_budget", "differential_privacy");
    static final Set<String> DP_KEYS = Set.of("clip_norm", "noise_multiplier", "target_epsilon", "rounds", "sampling");
    static final Set<String> BUDGET_KEYS = Set.of("project", "epsilon", "delta", "state_file");
    static final Set<TaskKind> TASKS = EnumSet.of(TaskKind.STATISTICS, TaskKind.TRAIN, TaskKind.EVALUATE);

    public SitePolicy {
        approvedModels = approvedModels == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(approvedModels));
        if (approvedModels != null) for (String d : approvedModels)
            if (d == null || !DIGEST.matcher(d).matches()) throw new IllegalArgumentException("approved model digest must be 64 lowercase hex digits, was " + d);
        if (manualApproval && approvalsFile == null) throw new IllegalArgumentException("manual approval needs an approvals file");
        if (minCohort < 0) throw new IllegalArgumentException("minCohort must be >= 0, was " + minCohort);
        if (maxRounds < 0) throw new IllegalArgumentException("maxRounds must be >= 0, was " + maxRounds);
        if (allowedTasks == null || !TASKS.containsAll(allowedTasks))
            throw new IllegalArgumentException("allowedTasks must be a subset of " + TASKS + ", was " + allowedTasks);
        allowedTasks = allowedTasks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(allowedTasks));
    }

    /** Admits every model, task and round, no minimum cohort, no budget, plain updates allowed (a site without a policy file). */
    public static SitePolicy permissive() {
        return new SitePolicy(null, null, false, null, 0, TASKS, 0, false, null);
    }

    /** Plain (unmasked) updates may leave the site only when secure aggregation is not required. */
    public boolean plainUpdatesAllowed() {
        return !secureAggregationRequired;
    }

    /** Whether a digest is approved by this file's list (manual approvals are in the {@link ApprovalStore}). */
    public boolean listed(String digest) {
        return approvedModels == null || approvedModels.contains(digest);
    }

    /** Which policy task kind an instruction belongs to: secure-aggregation stages are part of training. */
    public static TaskKind taskOf(TaskKind k) {
        return switch (k) {
            case SECAGG_KEYS, SECAGG_SHARES, SECAGG_UNMASK, TRAIN -> TaskKind.TRAIN;
            default -> k;
        };
    }

    /** The local approvals store, or null when manual approval is off. */
    public ApprovalStore approvals() {
        return manualApproval ? new ApprovalStore(approvalsFile) : null;
    }

    /** Reads a policy file; errors name the file, the line and the key. */
    public static SitePolicy load(Path file) {
        ConfigReader r = ConfigReader.yaml(file);
        r.allowOnly(KEYS);
        Path dir = file.toAbsolutePath().getParent();
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Set<String> approved = new LinkedHashSet<>();
        List<String> listed = r.strings("approved_models").orElse(List.of());
        for (int i = 0; i < listed.size(); i++) {
            String d = listed.get(i).trim().toLowerCase(Locale.ROOT);
            if (!DIGEST.matcher(d).matches())
                throw r.error("approved_models[" + i + "]", "expected a ModelSpec SHA-256 digest (64 hex digits), found '" + listed.get(i) + "'");
            approved.add(d);
        }
        boolean manual = r.bool("manual_approval").orElse(false);
        if (approved.isEmpty() && !manual)
            throw r.error("approved_models", "missing: list the approved ModelSpec digests, or set manual_approval: true");
        Path approvals = dir.resolve(r.string("approvals_file").orElse(stem + ".approvals.json")).normalize();
        int min = r.integer("min_cohort").orElse(0);
        if (min < 0) throw r.error("min_cohort", "must be >= 0, was " + min);
        Set<TaskKind> tasks = EnumSet.noneOf(TaskKind.class);
        List<String> names = r.strings("allowed_tasks").orElse(List.of("statistics", "train", "evaluate"));
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).trim().toUpperCase(Locale.ROOT);
            TaskKind k;
            try {
                k = TaskKind.valueOf(n);
            } catch (IllegalArgumentException e) {
                k = null;
            }
            if (k == null || !TASKS.contains(k))
                throw r.error("allowed_tasks[" + i + "]", "unknown task kind '" + names.get(i) + "' (expected statistics, train or evaluate)");
            tasks.add(k);
        }
        int maxRounds = r.integer("max_rounds").orElse(0);
        if (maxRounds < 0) throw r.error("max_rounds", "must be >= 0 (0 = no limit), was " + maxRounds);
        boolean secagg = r.bool("secure_aggregation_required").orElse(true);
        Budget budget = null;
        if (r.has("privacy_budget")) {
            ConfigReader b = r.child("privacy_budget");
            b.allowOnly(BUDGET_KEYS);
            String project = b.requiredString("project");
            double eps = b.decimal("epsilon").orElseThrow(() -> b.error("epsilon", "missing (required)"));
            if (eps < 0) throw b.error("epsilon", "must be >= 0, was " + eps);
            double delta = b.decimal("delta").orElse(0.0);
            if (!(delta >= 0 && delta < 1)) throw b.error("delta", "must be in [0, 1), was " + delta);
            Path state = dir.resolve(b.string("state_file").orElse(stem + ".budget.json")).normalize();
            budget = new Budget(project, eps, delta, state);
        }
        Dp dp = null;
        if (r.has("differential_privacy")) {
            ConfigReader d = r.child("differential_privacy");
            d.allowOnly(DP_KEYS);
            double c = d.decimal("clip_norm").orElseThrow(() -> d.error("clip_norm", "missing (required)"));
            Optional<Double> sigma = d.decimal("noise_multiplier"), target = d.decimal("target_epsilon");
            if (sigma.isPresent() == target.isPresent())
                throw d.error("differential_privacy", "give exactly one of noise_multiplier and target_epsilon (with rounds);"
                        + " `fedehr privacy noise` prints the noise multiplier for a target ε");
            int rounds = d.integer("rounds").orElse(0);
            if (target.isPresent() && rounds < 1) throw d.error("rounds", "target_epsilon needs rounds >= 1 (the rounds it must cover)");
            if (target.isPresent() && budget == null)
                throw d.error("target_epsilon", "needs a privacy_budget (its delta is the delta of the target)");
            if (target.isPresent() && target.get() > budget.epsilon())
                throw d.error("target_epsilon", "target_epsilon " + target.get() + " exceeds privacy_budget.epsilon " + budget.epsilon()
                        + ": the run would be refused before it ends; lower the target or raise the budget");
            String sampling = d.string("sampling").orElse(org.fedehr.models.DpSgdSettings.POISSON);
            try {
                dp = new Dp(new org.fedehr.models.DpSgdSettings(c, sigma.orElse(0.0), sampling), target.orElse(null), rounds);
            } catch (IllegalArgumentException e) {
                throw d.error("differential_privacy", e.getMessage());
            }
            if (budget != null && !org.fedehr.models.DpSgdSettings.POISSON.equals(sampling))
                throw d.error("sampling", "the privacy accountant covers Poisson sampling only; use sampling: poisson with a budget");
        }
        try {
            return new SitePolicy(file, approved, manual, manual ? approvals : null, min, tasks, maxRounds, secagg, budget, dp);
        } catch (IllegalArgumentException e) {
            throw new DataConfigException(file + ": " + e.getMessage(), e);
        }
    }
}
