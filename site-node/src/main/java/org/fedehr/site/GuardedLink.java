package org.fedehr.site;

import org.fedehr.models.ModelSpec;
import org.fedehr.protocol.codec.MaskedFrame;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SecAggReply;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The site's egress guard: the one gate every outbound message passes (a {@link SiteNode} wraps whatever link it is
 * given in one). It admits only the declared payload kinds, each checked against the site's policy and against the
 * instruction it answers:
 * <ul>
 *   <li>registration (this site's own id only);</li>
 *   <li>a masked update of exactly paramCount + 1 ring elements, or — only when the policy allows plain updates — a
 *       plain update of exactly paramCount values (paramCount = the announced ModelSpec's parameter count), for the
 *       instruction's run, round and model, with a weight of 0 or at least the minimum cohort;</li>
 *   <li>aggregated evaluation metrics with n = 0 (all "n/a") or n &gt;= the minimum cohort;</li>
 *   <li>federated statistics over declared features, with rows and every released count 0 or &gt;= the minimum cohort;</li>
 *   <li>secure-aggregation key adverts, encrypted shares and reveals, each in the stage that asks for it, no more
 *       entries than the roster has sites;</li>
 *   <li>refusals with a known reason code, "no data" and failure notices, carrying no payload.</li>
 * </ul>
 * Anything else is blocked: it is not sent, and the block is logged with kinds and counts only, never values. A
 * blocked reply gets the acknowledgement {@code status 0, code "egress_blocked"}.
 */
public final class GuardedLink implements CoordinatorLink {
    /** The acknowledgement code of a reply the guard did not let out. */
    public static final String BLOCKED = "egress_blocked";
    static final int MAX_MESSAGE_CHARS = 1000;
    private final CoordinatorLink inner;
    private final SitePolicy policy;
    private final String siteId;
    private final Set<String> declaredFeatures;
    /** Values one row may contribute to a feature's numeric summary (1 for tabular data; a stay's bins for a time series). */
    private final java.util.function.ToIntFunction<String> valuesPerRow;
    private final SiteListener log;
    private final Map<Long, TaskInstruction> answering = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TaskInstruction> e) {
            return size() > 32;
        }
    };
    private final AtomicLong blocked = new AtomicLong();
    /** Per round, how many sites the secure-aggregation roster named (bounds the shares and reveals a site may send). */
    private final Map<Integer, Integer> rosterSizes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Integer> e) {
            return size() > 32;
        }
    };

    /**
     * @param declaredFeatures the feature names statistics may carry (the federation's dictionary), or null to skip that check
     */
    public GuardedLink(CoordinatorLink inner, SitePolicy policy, String siteId, Set<String> declaredFeatures, SiteListener log) {
        this(inner, policy, siteId, declaredFeatures, name -> 1, log);
    }

    /**
     * As above, for longitudinal data: {@code valuesPerRow} bounds how many values one row (a stay) may contribute to a
     * feature's numeric summary or categorical counts (a time series contributes one value per bin, a multi-hot code set one
     * per distinct code; a category is still counted at most once per row).
     */
    public GuardedLink(CoordinatorLink inner, SitePolicy policy, String siteId, Set<String> declaredFeatures,
                       java.util.function.ToIntFunction<String> valuesPerRow, SiteListener log) {
        this.valuesPerRow = valuesPerRow;
        if (inner == null || policy == null || siteId == null) throw new IllegalArgumentException("link, policy and siteId are required");
        if (inner instanceof GuardedLink) throw new IllegalArgumentException("link is already guarded");
        this.inner = inner;
        this.policy = policy;
        this.siteId = siteId;
        this.declaredFeatures = declaredFeatures == null ? null : Set.copyOf(declaredFeatures);
        this.log = log == null ? SiteListener.NONE : log;
    }

    /** How many outbound messages were blocked. */
    public long blockedCount() {
        return blocked.get();
    }

    /** Notes an instruction this site is answering (instructions polled through this link are noted automatically). */
    synchronized void expect(TaskInstruction t) {
        answering.put(t.taskSeq(), t);
        if (t.secagg() != null && t.secagg().roster() != null) rosterSizes.put(t.round(), t.secagg().roster().size());
    }

    @Override
    public RegisterResponse register(String id) throws LinkException {
        if (!siteId.equals(id)) {
            block("registration", "site id is not this site's");
            throw new LinkException("egress guard: registration as another site blocked", 0, null);
        }
        return inner.register(id);
    }

    @Override
    public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
        Optional<TaskInstruction> t = inner.nextTask(afterSeq);
        t.ifPresent(this::expect);
        return t;
    }

    @Override
    public ParamFrame model(int version) throws LinkException {
        return inner.model(version);
    }

    @Override
    public FeatureStatistics statistics() throws LinkException {
        return inner.statistics();
    }

    @Override
    public Ack reply(ReplyEnvelope envelope) throws LinkException {
        String problem = problem(envelope);
        if (problem != null) {
            SiteReply r = envelope.reply();
            block(r.kind() + " round " + r.round() + " " + r.status() + " reply", problem);
            return new Ack(0, BLOCKED, problem);
        }
        return inner.reply(envelope);
    }

    private void block(String what, String problem) {
        blocked.incrementAndGet();
        log.event(siteId, "egress blocked: " + what + ": " + problem + " (not sent)");
    }

    /** Why the envelope may not leave (kinds and counts only), or null when it may. */
    String problem(ReplyEnvelope env) {
        SiteReply r = env.reply();
        TaskInstruction t;
        synchronized (this) {
            t = answering.get(r.taskSeq());
        }
        if (t == null) return "answers no instruction this site received";
        if (!r.runId().equals(t.runId()) || r.round() != t.round() || r.kind() != t.kind()) return "does not match the instruction it answers";
        if (!siteId.equals(r.siteId())) return "names another site";
        int min = policy.minCohort();
        if (r.status() != ReplyStatus.OK) {
            if (env.update() != null || env.masked() != null) return "a " + r.status() + " reply carries an update frame";
            if (r.eval() != null || r.statistics() != null || r.secagg() != null) return "a " + r.status() + " reply carries a payload";
            if (r.message() != null && r.message().length() > MAX_MESSAGE_CHARS)
                return "message of " + r.message().length() + " characters (limit " + MAX_MESSAGE_CHARS + ")";
            if (r.errorClass() != null && r.errorClass().length() > 200) return "error class of " + r.errorClass().length() + " characters";
            return switch (r.status()) {
                case REFUSED -> r.train() == null && Refusal.CODES.contains(r.message()) ? null : "refusal without a known reason code";
                case NO_DATA -> r.train() == null || r.train().numExamples() == 0 ? null : "a no-data reply counts examples";
                default -> r.train() == null ? null : "a failure reply carries a training summary";
            };
        }
        boolean frames = env.update() != null || env.masked() != null;
        switch (r.kind()) {
            case STATISTICS -> {
                if (frames || r.train() != null || r.eval() != null || r.secagg() != null) return "statistics reply carries other payloads";
                return statisticsProblem(r.statistics(), min);
            }
            case EVALUATE -> {
                if (frames || r.train() != null || r.statistics() != null || r.secagg() != null) return "evaluation reply carries other payloads";
                EvalMetrics e = r.eval();
                if (e.n() == 0) return e.correct() == 0 && e.loss() == null && e.auroc() == null ? null : "metrics over 0 rows are not n/a";
                if (e.n() < min) return "metrics over " + e.n() + " rows, below the minimum cohort of " + min;
                return null;
            }
            case TRAIN -> {
                if (r.eval() != null || r.statistics() != null || r.secagg() != null) return "training reply carries other payloads";
                return updateProblem(t, r.train(), env.update(), env.masked(), min);
            }
            case SECAGG_KEYS, SECAGG_SHARES, SECAGG_UNMASK -> {
                if (frames || r.train() != null || r.eval() != null || r.statistics() != null) return "secure-aggregation reply carries other payloads";
                return secaggProblem(t, r.secagg());
            }
            default -> {
                return "undeclared reply kind " + r.kind();
            }
        }
    }

    private String statisticsProblem(FeatureStatistics s, int min) {
        if (s.rows() > 0 && s.rows() < min) return "statistics over " + s.rows() + " rows, below the minimum cohort of " + min;
        for (var e : s.numeric().entrySet()) {
            if (declaredFeatures != null && !declaredFeatures.contains(e.getKey())) return "statistics of an undeclared feature";
            NumericSummary n = e.getValue();
            if (n.count() > 0 && n.count() < min) return "a numeric summary over " + n.count() + " values, below the minimum cohort of " + min;
            if (n.count() + n.missing() > s.rows() * (long) valuesPerRow.applyAsInt(e.getKey()))
                return "a numeric summary counts more values than rows";
        }
        for (var e : s.categorical().entrySet()) {
            if (declaredFeatures != null && !declaredFeatures.contains(e.getKey())) return "statistics of an undeclared feature";
            CategoricalSummary c = e.getValue();
            for (long v : c.counts().values())
                if (v > 0 && v < min) return "a category count of " + v + ", below the minimum cohort of " + min;
            for (long v : c.counts().values()) if (v > s.rows()) return "a category count exceeds the rows";
            if (c.total() + c.missing() > s.rows() * (long) valuesPerRow.applyAsInt(e.getKey()))
                return "category counts exceed the rows";
        }
        return null;
    }

    private String updateProblem(TaskInstruction t, TrainSummary summary, ParamFrame update, MaskedFrame masked, int min) {
        if (summary == null) return "training reply without a summary";
        int n = summary.numExamples();
        if (n > 0 && n < min) return "update over " + n + " rows, below the minimum cohort of " + min;
        int params = t.paramCount();
        if (t.modelSpecJson() != null) {
            int declared;
            try {
                declared = ModelSpec.fromJson(t.modelSpecJson()).parameterCount();
            } catch (RuntimeException e) {
                return "the instruction's model spec cannot be read";
            }
            int length = org.fedehr.protocol.msg.LocalAlgorithm.vectorLength(t.algorithm(), declared);
            if (length != params) return "instruction announces " + params + " parameters, its model spec has " + declared
                    + (length == declared ? "" : " (" + length + " with " + t.algorithm().kind() + ")");
        }
        if (t.secagg() != null) {
            if (update != null) return "plain update in a securely aggregated round";
            if (masked == null) return "training reply without its masked update";
            if (masked.values().length != params + 1)
                return "masked update of " + masked.values().length + " elements, declared " + (params + 1);
            if (!masked.runId().equals(t.runId()) || masked.round() != t.round() || !masked.modelDigest().equals(t.modelDigest()))
                return "masked update for another run, round or model";
            return null;
        }
        if (masked != null) return "masked update in a round without secure aggregation";
        if (!policy.plainUpdatesAllowed()) return "plain update while the policy requires secure aggregation";
        if (update == null) return "training reply without its update";
        if (update.kind() != ParamFrame.Kind.UPDATE) return "update frame of kind " + update.kind();
        if (update.values().length != params) return "update of " + update.values().length + " values, declared " + params;
        if (!update.runId().equals(t.runId()) || update.round() != t.round() || !update.modelDigest().equals(t.modelDigest()))
            return "update for another run, round or model";
        if (update.weight() != n) return "update weight differs from the summary's example count";
        return null;
    }

    private String secaggProblem(TaskInstruction t, SecAggReply s) {
        int sites;
        synchronized (this) {
            sites = rosterSizes.getOrDefault(t.round(), 0);
        }
        if (t.secagg().roster() != null) sites = Math.max(sites, t.secagg().roster().size());
        if (t.secagg().survivors() != null) sites = Math.max(sites, t.secagg().survivors().size());
        return switch (t.kind()) {
            case SECAGG_KEYS -> s.advert() != null && s.shares() == null && s.reveals() == null ? null : "key stage reply is not one key advert";
            case SECAGG_SHARES -> s.advert() == null && s.shares() != null && s.reveals() == null && s.shares().size() <= sites ? null
                    : "share stage reply is not encrypted shares for the roster";
            case SECAGG_UNMASK -> s.advert() == null && s.shares() == null && s.reveals() != null && s.reveals().size() <= sites ? null
                    : "unmasking reply is not reveals for the roster";
            default -> "undeclared secure-aggregation payload";
        };
    }

    @Override
    public long bytesSent() {
        return inner.bytesSent();
    }

    @Override
    public long bytesReceived() {
        return inner.bytesReceived();
    }

    @Override
    public String address() {
        return inner.address();
    }

    @Override
    public void close() {
        inner.close();
    }
}
