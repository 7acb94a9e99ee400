package org.fedehr.site;

import org.fedehr.models.EvalResult;
import org.fedehr.models.DpSgdSettings;
import org.fedehr.models.DpTrainResult;
import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.SequenceTrainer;
import org.fedehr.site.sequence.HarmonisedSequences;
import org.fedehr.site.sequence.SequenceSite;
import org.fedehr.site.sequence.SequenceSites;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.codec.MaskedFrame;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.SecAggReply;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditExchanges;
import org.fedehr.protocol.audit.AuditSink;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.secagg.SecAggSite;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FittedHarmonizer;
import org.fedehr.site.data.LocalStatistics;
import org.fedehr.site.data.Row;
import org.fedehr.site.policy.PolicyGate;
import org.fedehr.site.policy.PrivacyAccountant;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.site.policy.StatisticsSuppression;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A hospital's node: polls its coordinator (outbound only), and for each instruction computes local
 * statistics, trains, or evaluates on its own rows, replying with aggregates and a parameter delta only.
 * Harmonisation is fitted once from the federation's merged statistics, then applied identically to training
 * and test rows. One network per node, reused across rounds and closed at the end.
 */
public final class SiteNode implements AutoCloseable {
    private final String siteId;
    private final FeatureDictionary dictionary;
    private final SiteRows rows;
    /** The only way out: every message this node sends passes its egress guard. */
    private final GuardedLink link;
    private final PolicyGate gate;
    private final SiteListener log;
    private final long maxLinkFailures;
    static final int REPLY_ATTEMPTS = 3;
    /** How long a site keeps trying to register while the coordinator cannot be reached. */
    public static final Duration DEFAULT_REGISTRATION_WINDOW = Duration.ofMinutes(5);
    private long retryDelayMs = 500;
    private Duration registrationWindow = DEFAULT_REGISTRATION_WINDOW;
    private Backoff registrationBackoff = Backoff.REGISTRATION;
    private Backoff pollBackoff = Backoff.POLL;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Thread::sleep;
    private AuditSink audit = AuditSink.NONE;
    /** ε the last TRAIN round cost (0 without DP or budget), for the audit ledger. */
    private double roundEpsilon;

    /** How the node pauses between attempts (tests replace it, together with the clock). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private FittedHarmonizer harmonizer;
    /** Longitudinal data (null for a tabular site), its harmonised form, and the trainer of a sequence model. */
    private final SequenceSite sequences;
    private HarmonisedSequences harmonised;
    private SequenceTrainer sequenceTrainer;
    private float[][] xTrain, xTest;
    private float[] yTrain, yTest;
    /** Survival times of the rows (null for a binary label; empty for no rows), passed only to a survival model. */
    private float[] tTrain, tTest;
    private LocalTrainer trainer;
    private int roundsTrained;
    private long lastUpdateBytes;
    private SecAggIdentity secaggIdentity;
    /** One generator for all nodes of a JVM (thread-safe; building one per node costs what thousands of in-process sites feel). */
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();
    private final SecureRandom secureRandom = SECURE_RANDOM;
    /** The secure-aggregation session of the current round (ephemeral keys live only as long as their round). */
    private SecAggSite secaggSession;
    private int secaggRound = -1;
    /** Expands the round's masks while the trainer works (one daemon thread, created on first use). */
    private ExecutorService maskWorker;
    /** The site's own DP-SGD settings (its policy, not the coordinator's), or null for non-private training. */
    private DpSgdSettings dp;
    /** Secret salt mixed into the round seed for DP-SGD's Poisson sampling, so the coordinator cannot know the batches. */
    private final long samplingSalt = secureRandom.nextLong();
    private final List<DpTrainResult> dpRounds = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A node without a policy file: {@link SitePolicy#permissive()} (the egress guard still checks every message's shape). */
    public SiteNode(String siteId, FeatureDictionary dictionary, List<Row> train, List<Row> test,
                    CoordinatorLink link, SiteListener log) {
        this(siteId, dictionary, SiteRows.of(train, test), link, log, SitePolicy.permissive());
    }

    /** A node under the hospital's policy (read from its own file, never from an instruction). */
    public SiteNode(String siteId, FeatureDictionary dictionary, SiteRows rows, CoordinatorLink link, SiteListener log,
                    SitePolicy policy) {
        this(siteId, dictionary, rows, link, log, new PolicyGate(policy, siteId, Clock.systemUTC()));
    }

    /**
     * A node whose instructions are checked by {@code gate} before any row is read, and whose every outbound message
     * passes a {@link GuardedLink} around {@code link} built from the same policy.
     */
    public SiteNode(String siteId, FeatureDictionary dictionary, SiteRows rows, CoordinatorLink link, SiteListener log,
                    PolicyGate gate) {
        this(siteId, dictionary, null, rows, link, log, gate);
    }

    /**
     * A node over longitudinal data ({@link SequenceSite}): statistics, training and evaluation use its resampled stays —
     * the sequences for a model of kind lstm, the per-window summaries for logistic / mlp — under the same policy gate
     * and egress guard (statistics may carry only the names the site declares).
     */
    public SiteNode(String siteId, SequenceSite sequences, CoordinatorLink link, SiteListener log, SitePolicy policy) {
        this(siteId, null, sequences, SequenceSites.sizes(sequences), link, log,
                new PolicyGate(policy, siteId, Clock.systemUTC()));
    }

    private SiteNode(String siteId, FeatureDictionary dictionary, SequenceSite sequences, SiteRows rows, CoordinatorLink link,
                     SiteListener log, PolicyGate gate) {
        if (gate == null) throw new IllegalArgumentException("policy gate must not be null");
        this.siteId = siteId;
        this.dictionary = dictionary;
        this.sequences = sequences;
        this.rows = rows;
        this.log = log == null ? SiteListener.NONE : log;
        this.gate = gate;
        java.util.Set<String> declared = sequences != null ? sequences.statisticNames()
                : dictionary == null ? null : java.util.Set.copyOf(dictionary.names());
        this.link = sequences == null ? new GuardedLink(link, gate.policy(), siteId, declared, this.log)
                : new GuardedLink(link, gate.policy(), siteId, declared, sequences::valuesPerStay, this.log);
        this.maxLinkFailures = 20;
        SitePolicy p = gate.policy();
        if (p.dpSgd() != null) {   // the hospital's policy, not the coordinator, decides DP-SGD and charges its budget
            this.dpPolicy = p.dpSgd();
            if (dpPolicy.targetEpsilon() == null) this.dp = dpPolicy.settings();
            if (p.budget() != null)
                gate.accountant(new org.fedehr.site.policy.RdpPrivacyAccountant(() -> dp, rows.trainSize(), p.budget(), siteId));
        }
    }

    /** " (round would cost ε 0.42; spent 2.81 of 3.0)" for a budget refusal, else "". Aggregates only. */
    private String budgetDetail(TaskInstruction t, String refusal) {
        if (!org.fedehr.site.policy.Refusal.BUDGET_EXHAUSTED.equals(refusal) || gate.budget() == null) return "";
        double cost = gate.accountant().roundCost(t).epsilon();
        return String.format(java.util.Locale.ROOT, " (this round would cost ε %.4g; spent %.4g of %s)", cost,
                gate.budget().epsilonSpent(), gate.policy().budget().epsilon());
    }

    /** DP-SGD demanded by this site's policy (null when it trains without DP). */
    private SitePolicy.Dp dpPolicy;

    /**
     * With a target ε in the policy, the noise multiplier is chosen once, at the first TRAIN instruction (whose plan
     * fixes the steps per round): the smallest σ for which the policy's number of rounds of that plan on this site's rows
     * spends the target ε at the budget's δ.
     */
    private void calibrateDp(TaskInstruction t) {
        if (dpPolicy == null || dp != null || t.kind() != TaskKind.TRAIN || t.training() == null) return;
        int n = rows.trainSize();
        if (n < 1) return;
        TrainingPlan plan = t.training();
        long perRound = plan.steps() > 0 ? plan.steps() : (long) plan.epochs() * ((n + plan.batchSize() - 1) / plan.batchSize());
        double q = DpSgdSettings.samplingRate(plan.batchSize(), n);
        double sigma = new org.fedehr.protocol.privacy.RdpAccountant().noiseMultiplier(dpPolicy.targetEpsilon(), q,
                perRound * dpPolicy.rounds(), gate.policy().budget().delta());
        dp = dpPolicy.settings().withNoiseMultiplier(sigma);
        log.event(siteId, String.format(java.util.Locale.ROOT, "DP-SGD: noise multiplier %.4g for ε = %s over %d rounds of %d steps"
                + " (q = %.4g, δ = %s)", sigma, dpPolicy.targetEpsilon(), dpPolicy.rounds(), perRound, q, gate.policy().budget().delta()));
    }

    /** The policy check this node applies to every instruction. */
    public PolicyGate policyGate() {
        return gate;
    }

    /** The egress guard every outbound message passes. */
    public GuardedLink egressGuard() {
        return link;
    }

    /** Where the privacy cost of a TRAIN round comes from (the DP accountant); default: nothing. */
    public SiteNode privacyAccountant(PrivacyAccountant accountant) {
        gate.accountant(accountant);
        return this;
    }

    /**
     * Trains every round with DP-SGD under the site's own settings (clip norm, noise multiplier, sampling): the site,
     * not the coordinator, decides σ from its privacy budget. The instruction's batch size, learning rate and
     * epochs/steps still apply; its optimiser must be sgd. In DP mode the reply carries no training loss (it is not
     * private), and each round's (q, σ, steps) is kept in {@link #dpRounds()} and logged for the site's accountant.
     * The Poisson sampling seed mixes the round seed with a secret drawn here from SecureRandom.
     */
    public SiteNode differentialPrivacy(DpSgdSettings settings) {
        this.dp = settings;
        return this;
    }

    /** What each DP-SGD round spent (sampling rate, noise multiplier, steps), in order; empty without DP. */
    public List<DpTrainResult> dpRounds() {
        return List.copyOf(dpRounds);
    }

    /** Pause before the n-th resend of a reply is n times this (default 500 ms). */
    public SiteNode retryDelayMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("retry delay must be >= 0, was " + ms);
        this.retryDelayMs = ms;
        return this;
    }

    /**
     * Registration retries transport failures (connection refused, reset, timed out, host not found) for up to
     * {@code window} (default {@link #DEFAULT_REGISTRATION_WINDOW}; zero = one attempt) with {@code backoff} between
     * attempts (default {@link Backoff#REGISTRATION}). HTTP errors and TLS failures are never retried.
     */
    public SiteNode registrationRetry(Duration window, Backoff backoff) {
        if (window == null || window.isNegative()) throw new IllegalArgumentException("registration window must be >= 0, was " + window);
        if (backoff == null) throw new IllegalArgumentException("registration backoff must not be null");
        this.registrationWindow = window;
        this.registrationBackoff = backoff;
        return this;
    }

    /** Backoff between failed polls (default {@link Backoff#POLL}). */
    public SiteNode pollBackoff(Backoff backoff) {
        if (backoff == null) throw new IllegalArgumentException("poll backoff must not be null");
        this.pollBackoff = backoff;
        return this;
    }

    /** For tests: the clock that measures the registration window and how the node waits. */
    SiteNode timing(Clock clock, Sleeper sleeper) {
        if (clock == null || sleeper == null) throw new IllegalArgumentException("clock and sleeper must not be null");
        this.clock = clock;
        this.sleeper = sleeper;
        return this;
    }

    public String siteId() {
        return siteId;
    }

    /**
     * Records every instruction received and every reply sent (before it is sent: what may have left the site) in
     * {@code sink}, e.g. the site's {@link org.fedehr.protocol.audit.AuditLedger}. A sink that fails stops the node.
     */
    public SiteNode audit(AuditSink sink) {
        this.audit = sink == null ? AuditSink.NONE : sink;
        return this;
    }

    /** Enables this site to take part in secure aggregation with its federation certificate and key. */
    public SiteNode secureAggregation(SecAggIdentity identity) {
        this.secaggIdentity = identity;
        return this;
    }

    /** What this node does to its trained delta before sending it (simulated misbehaviour); null = nothing. */
    private UpdateTransform updateTransform;

    /** Simulations only: the site sends {@code transform(delta)} instead of its trained delta (null = honest). */
    public SiteNode updateTransform(UpdateTransform transform) {
        this.updateTransform = transform;
        return this;
    }

    /** The trained result with the {@link #updateTransform} applied to its delta (unchanged without one or without data). */
    private TrainResult transformed(TaskInstruction t, TrainResult r) {
        if (updateTransform == null || !r.hasData()) return r;
        float[] d = updateTransform.apply(t.round(), r.delta().clone());
        if (d == null || d.length != r.delta().length)
            throw new IllegalStateException("update transform returned " + (d == null ? "null" : d.length + " values")
                    + ", expected " + r.delta().length);
        return new TrainResult(d, r.numExamples(), r.meanLoss(), r.steps());
    }

    /** Size on the wire of this node's last TRAIN reply (envelope + update frame). */
    public long lastUpdateBytes() {
        return lastUpdateBytes;
    }

    public int roundsTrained() {
        return roundsTrained;
    }

    /** Registers and serves instructions until the coordinator says the run is finished. */
    public void run() throws CoordinatorLink.LinkException, InterruptedException {
        register();
        log.event(siteId, "registered with " + rows.trainSize() + " training and " + rows.testSize() + " test rows");
        long after = 0;
        int failuresInARow = 0;
        while (true) {
            Optional<TaskInstruction> next;
            try {
                next = link.nextTask(after);
                failuresInARow = 0;
            } catch (CoordinatorLink.LinkException e) {
                if (e.status() == 401) {      // coordinator restarted or forgot us: register again
                    link.register(siteId);
                    continue;
                }
                if (e.status() == 403) {      // our certificate is refused (revoked, expired): retrying cannot help
                    log.event(siteId, "the coordinator refused this site: " + e.getMessage() + "; stopping");
                    throw e;
                }
                if (++failuresInARow >= maxLinkFailures) throw e;
                log.event(siteId, "poll failed (" + e.getMessage() + "), retrying");
                sleeper.sleep(pollBackoff.delayMs(failuresInARow));
                continue;
            }
            if (next.isEmpty()) continue;
            TaskInstruction t = next.get();
            after = t.taskSeq();
            if (!serve(t)) return;
        }
    }

    /**
     * Serves one instruction the way {@link #run()} does after polling it: records it in the audit sink, then executes
     * it and sends the reply (a failure at this site is reported to the coordinator, never thrown). Returns false for
     * FINISHED. For drivers that deliver instructions themselves instead of a polling thread per site (in-process
     * simulations); call it for one node from one thread at a time.
     */
    public boolean serve(TaskInstruction t) throws CoordinatorLink.LinkException {
        if (audit != AuditSink.NONE)   // (encoding the instruction for its hash costs what thousands of in-process sites feel)
            audit.record(AuditExchanges.instruction(siteId, AuditEvent.Direction.RECEIVED, AuditEvent.COORDINATOR, t, Json.bytes(t)));
        if (t.kind() == TaskKind.FINISHED) {
            log.event(siteId, "run finished");
            return false;
        }
        try {
            handle(t);
        } finally {
            if (borrowedTrainers != null) trainer = null;   // a borrowed network is the lending thread's: never kept across tasks
        }
        return true;
    }

    /**
     * Trains and evaluates with networks lent by {@code trainers} (e.g. one per worker thread of an in-process driver)
     * instead of a network owned by this node: the node asks for one at each task that needs it, on the thread that
     * serves the task, never keeps it past the task and never closes it. Results are the same, since every training and
     * evaluation call starts from the parameters it is given.
     */
    public SiteNode borrowTrainers(java.util.function.Function<ModelSpec, LocalTrainer> trainers) {
        if (trainers == null) throw new IllegalArgumentException("trainers must not be null");
        if (this.trainer != null) this.trainer.close();
        this.trainer = null;
        this.borrowedTrainers = trainers;
        return this;
    }

    /** Where borrowed networks come from (null: this node builds and owns its own). */
    private java.util.function.Function<ModelSpec, LocalTrainer> borrowedTrainers;

    /**
     * Whether this node holds state of an unfinished round that a later instruction of the same round needs (the
     * secure-aggregation session between its key stage and its unmasking): a driver must keep such a node, and may
     * release (close) one that holds none and build it again for its next task.
     */
    public boolean holdsRoundState() {
        return secaggSession != null;
    }

    /**
     * Registers, waiting for a coordinator that is not up yet: transport failures that can pass are retried with
     * {@link #registrationRetry backoff} until the window is used up, each wait logged as {@code waiting for coordinator
     * at URL (connection refused); retry in 2 s}; then fails with {@code cannot reach coordinator at URL after N
     * attempts over T s: connection refused — is it running? is the URL right?}.
     */
    void register() throws CoordinatorLink.LinkException, InterruptedException {
        long start = clock.millis();
        for (int attempt = 1; ; attempt++) {
            try {
                link.register(siteId);
                return;
            } catch (CoordinatorLink.LinkException e) {
                if (e.status() != 0 || !e.transientFailure()) throw e;
                String reason = e.failure().phrase();
                long elapsed = clock.millis() - start;
                long remaining = registrationWindow.toMillis() - elapsed;
                if (remaining <= 0) {
                    throw new CoordinatorLink.LinkException("cannot reach coordinator at " + link.address() + " after " + attempt
                            + (attempt == 1 ? " attempt" : " attempts") + " over " + Math.round(elapsed / 1000.0) + " s: " + reason
                            + " — is it running? is the URL right?", 0, e.getCause());
                }
                long wait = Math.min(registrationBackoff.delayMs(attempt), remaining);
                log.event(siteId, "waiting for coordinator at " + link.address() + " (" + reason + "); retry in " + duration(wait));
                sleeper.sleep(wait);
            }
        }
    }

    /** {@code 500 ms}, {@code 2 s}, {@code 2.5 s}. */
    static String duration(long ms) {
        if (ms < 1000) return ms + " ms";
        if (ms % 1000 == 0) return ms / 1000 + " s";
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Executes one instruction and sends the reply; a failure at this site is reported, never thrown. */
    void handle(TaskInstruction t) throws CoordinatorLink.LinkException {
        link.expect(t);
        ReplyEnvelope env;
        calibrateDp(t);
        Optional<String> refusal = gate.check(t, rows.trainSize(), rows.testSize());   // before any row is read
        String refusalDetail = refusal.map(r -> budgetDetail(t, r)).orElse("");
        if (refusal.isPresent()) {
            log.event(siteId, t.kind() + " round " + t.round() + " refused by this site's policy: " + refusal.get() + refusalDetail);
            env = new ReplyEnvelope(SiteReply.to(t, siteId).refused(refusal.get()), null);
        } else {
            try {
                env = execute(t);
                if (t.kind() == TaskKind.TRAIN && env.reply().status() == org.fedehr.protocol.msg.ReplyStatus.OK) {
                    roundEpsilon = gate.accountant().roundCost(t).epsilon();
                    gate.spend(t);
                }
            } catch (Exception e) {
                log.event(siteId, t.kind() + " round " + t.round() + " failed: " + e.getClass().getSimpleName());
                env = new ReplyEnvelope(SiteReply.to(t, siteId).failed(e), null);
            }
        }
        AuditEvent sent = AuditExchanges.siteReply(siteId, t, env, env.encode()).withPolicyChecks(gate.checksApplied(t));
        if (!refusalDetail.isEmpty()) sent = sent.withNote((sent.note() == null ? "" : sent.note()) + refusalDetail);
        if (t.kind() == TaskKind.TRAIN && dp != null && env.reply().status() == org.fedehr.protocol.msg.ReplyStatus.OK) {
            java.util.Map<String, Object> filters = new java.util.TreeMap<>(sent.filters() == null ? java.util.Map.of() : sent.filters());
            filters.put("dp_sgd", String.format(java.util.Locale.ROOT, "clip_norm %s, noise_multiplier %.4f, %s sampling",
                    dp.clipNorm(), dp.noiseMultiplier(), dp.sampling()));
            sent = sent.withFilters(filters);
            if (gate.accountant() instanceof org.fedehr.site.policy.RdpPrivacyAccountant a)
                sent = sent.withEpsilon(roundEpsilon, a.epsilonSpent());
        }
        audit.record(sent);
        long sentBefore = link.bytesSent();
        CoordinatorLink.Ack ack = deliver(t, env);
        if (ack == null) return;
        if (GuardedLink.BLOCKED.equals(ack.code())) {   // the reply did not leave; say so without its content
            env = new ReplyEnvelope(SiteReply.to(t, siteId).refused(Refusal.EGRESS_BLOCKED), null);
            ack = deliver(t, env);
            if (ack == null) return;
        }
        if (env.update() != null || env.masked() != null) lastUpdateBytes = link.bytesSent() - sentBefore;
        if (ack.status() == 413) {
            log.event(siteId, t.kind() + " round " + t.round() + " reply of " + env.encode().length + " bytes"
                    + (env.update() == null ? "" : " (" + env.update().values().length + " float32 parameters)")
                    + " refused as too large by the coordinator: " + ack.message()
                    + "; to take part, the federation must use a smaller model or the coordinator operator must raise"
                    + " server.max_reply_bytes");
        } else if (!ack.ok()) {
            log.event(siteId, t.kind() + " round " + t.round() + " reply not accepted: HTTP " + ack.status() + " " + ack.message());
        } else {
            log.event(siteId, t.kind() + " round " + t.round() + " reply " + ack.code()
                    + (env.update() != null ? " (" + env.update().values().length + " params)"
                    : env.masked() != null ? " (" + (env.masked().values().length - 1) + " params, masked)" : ""));
        }
    }

    /**
     * Sends a reply, retrying transport failures (a connection the coordinator closed while this site trained,
     * a reset): the coordinator counts a reply once and acknowledges a repeat as "duplicate", so resending is
     * safe. Returns null, after logging that the work was not delivered, when every attempt failed.
     */
    private CoordinatorLink.Ack deliver(TaskInstruction t, ReplyEnvelope env) throws CoordinatorLink.LinkException {
        CoordinatorLink.LinkException last = null;
        for (int attempt = 1; attempt <= REPLY_ATTEMPTS; attempt++) {
            try {
                return link.reply(env);
            } catch (CoordinatorLink.LinkException e) {
                if (e.status() != 0) throw e;
                last = e;
                log.event(siteId, t.kind() + " round " + t.round() + " reply attempt " + attempt + " of " + REPLY_ATTEMPTS
                        + " failed (" + e.getMessage() + ")" + (attempt < REPLY_ATTEMPTS ? ", retrying" : ""));
                if (attempt < REPLY_ATTEMPTS) {
                    try {
                        sleeper.sleep(retryDelayMs * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
        log.event(siteId, t.kind() + " round " + t.round() + " reply NOT delivered after " + REPLY_ATTEMPTS
                + " attempts (" + last.getMessage() + "); the coordinator will record this site as missing from the round");
        return null;
    }

    /** Runs one instruction locally and builds the reply (no network I/O besides model/statistics download). */
    ReplyEnvelope execute(TaskInstruction t) throws Exception {
        SiteReply.Builder reply = SiteReply.to(t, siteId);
        switch (t.kind()) {
            case STATISTICS -> {
                int min = gate.policy().minCohort();
                FeatureStatistics all = sequences != null ? sequences.statistics() : LocalStatistics.compute(dictionary, rows.train());
                int suppressed = StatisticsSuppression.suppressedCells(all, min);
                if (suppressed > 0)
                    log.event(siteId, "STATISTICS: " + suppressed + " cells below the minimum cohort of " + min + " suppressed");
                return new ReplyEnvelope(reply.statistics(StatisticsSuppression.suppress(all, min)), null);
            }
            case SECAGG_KEYS -> {
                secaggSession = null;
                if (secaggIdentity == null)
                    throw new IllegalStateException("the federation uses secure aggregation but this site has no certificate and key for it");
                secaggSession = new SecAggSite(t.runId(), t.round(), siteId, t.secagg().config(), secaggIdentity.signingKey(),
                        secaggIdentity.certificatePem(), secaggIdentity.verifier(), secureRandom);
                secaggRound = t.round();
                return new ReplyEnvelope(reply.secagg(SecAggReply.advert(secaggSession.advertise())), null);
            }
            case SECAGG_SHARES -> {
                return new ReplyEnvelope(reply.secagg(SecAggReply.shares(session(t).shareKeys(t.secagg().roster()))), null);
            }
            case SECAGG_UNMASK -> {
                SecAggSite s = session(t);
                var reveals = s.unmask(t.secagg().survivors());
                secaggSession = null; // the round's secrets are not needed any more
                return new ReplyEnvelope(reply.secagg(SecAggReply.reveals(reveals)), null);
            }
            case TRAIN -> {
                if (t.secagg() != null) return trainMasked(t, reply);
                float[] global = prepare(t);
                TrainResult r = transformed(t, trainLocal(t, global));
                if (!r.hasData()) return new ReplyEnvelope(reply.noData("no training rows"), null);
                roundsTrained++;
                ParamFrame update = new ParamFrame(ParamFrame.Kind.UPDATE, t.runId(), t.round(), r.numExamples(),
                        t.modelDigest(), r.delta());
                return new ReplyEnvelope(reply.trained(summary(r, 0)), update);
            }
            case EVALUATE -> {
                float[] global = prepare(t);
                EvalResult e;
                if (sequenceTrainer != null) {
                    if (t.algorithm() != null)
                        throw new IllegalStateException(t.algorithm().kind() + " is not available for sequence models (kind lstm) in this version");
                    e = sequenceTrainer.evaluate(global, harmonised.test());
                } else {
                    global = algorithms.evaluationModel(t, global, trainer.spec().parameterCount());
                    e = trainer.evaluate(global, xTest, yTest, trainer.spec().survival() ? tTest : null);
                }
                Double loss = e.n() == 0 || !Double.isFinite(e.loss()) ? null : e.loss();
                return new ReplyEnvelope(reply.evaluated(new EvalMetrics(e.n(), e.correct(), loss, e.auroc(), e.cIndex())), null);
            }
            default -> throw new IllegalStateException("unexpected instruction " + t.kind());
        }
    }

    /** This round's secure-aggregation session; an instruction for a round this site holds no keys for fails. */
    private SecAggSite session(TaskInstruction t) {
        if (secaggSession == null || secaggRound != t.round())
            throw new IllegalStateException(t.kind() + " round " + t.round() + ": this site holds no secure-aggregation keys for"
                    + " the round (it did not take part in its key stage)");
        return secaggSession;
    }

    /**
     * Secure aggregation's training stage: the masks depend only on the round's keys, so they are expanded on another
     * thread while the network trains; the weighted update is then clipped, encoded in fixed point and masked. A site
     * with no training rows sends masked zeros with weight 0, so that the other sites' pairwise masks still cancel.
     */
    private ReplyEnvelope trainMasked(TaskInstruction t, SiteReply.Builder reply) throws Exception {
        SecAggSite s = session(t);
        SecAggTask sa = t.secagg();
        s.receiveShares(sa.sharers(), sa.inbox());
        int length = t.paramCount() + 1;
        if (maskWorker == null) maskWorker = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "mask-" + siteId);
            th.setDaemon(true);
            return th;
        });
        CompletableFuture<int[]> mask = CompletableFuture.supplyAsync(() -> s.expandMask(length), maskWorker);
        TrainResult r;
        try {
            r = transformed(t, trainLocal(t, prepare(t)));
        } catch (Exception e) {
            mask.cancel(false);
            throw e;
        }
        if (r.hasData()) roundsTrained++;
        float[] delta = r.hasData() ? r.delta() : new float[t.paramCount()];
        SecAggSite.MaskedInput m = s.maskInPlace(delta, r.hasData() ? r.numExamples() : 0, mask.join()); // the expanded mask is ours: encode into it
        if (m.clippedValues() > 0)
            log.event(siteId, "TRAIN round " + t.round() + ": " + m.clippedValues() + " update values clipped to the secure-aggregation range");
        TrainSummary summary = r.hasData() ? summary(r, m.clippedValues()) : new TrainSummary(0, null, 0);
        return ReplyEnvelope.masked(reply.trained(summary), new MaskedFrame(t.runId(), t.round(), t.modelDigest(), m.values()));
    }

    /** What a reply says about a round's training: rows, mean loss (when finite), steps, values clipped for masking. */
    private static TrainSummary summary(TrainResult r, int clippedValues) {
        return new TrainSummary(r.numExamples(), Double.isFinite(r.meanLoss()) ? r.meanLoss() : null, r.steps(), clippedValues);
    }

    /**
     * Trains one round: plainly, or with DP-SGD when the site set {@link #differentialPrivacy}. A DP result has its
     * (non-private) training loss removed before it can reach the reply.
     */
    private TrainResult trainLocal(TaskInstruction t, float[] global) {
        TrainingPlan p = t.training();
        TrainingSettings settings = new TrainingSettings(p.epochs(), p.steps(), p.batchSize(), p.optimizer(), p.learningRate());
        if (dp == null && dpPolicy != null)   // never train without the DP the hospital's policy demands
            throw new IllegalStateException("this site's policy demands DP-SGD but its noise multiplier is not fixed (no training rows?)");
        if (dp == null && sequenceTrainer != null) {
            if (t.algorithm() != null)
                throw new IllegalStateException(t.algorithm().kind() + " is not available for sequence models (kind lstm) in this version");
            return sequenceTrainer.train(global, harmonised.train(), settings, t.seed());
        }
        if (t.algorithm() != null) {
            if (dp != null || dpPolicy != null)
                throw new IllegalStateException("DP-SGD cannot be combined with " + t.algorithm().kind() + " in this version");
            return algorithms.train(t, global, trainer, xTrain, yTrain, trainer.spec().survival() ? tTrain : null, settings);
        }
        if (dp == null) return trainer.train(global, xTrain, yTrain, trainer.spec().survival() ? tTrain : null, settings, t.seed());
        if (sequenceTrainer != null) throw new IllegalStateException("DP-SGD is not available for sequence models (kind lstm)");
        DpTrainResult r = trainer.trainDp(global, xTrain, yTrain, settings, dp, t.seed() ^ samplingSalt);
        if (!r.result().hasData()) return r.result();
        dpRounds.add(r);
        log.event(siteId, "TRAIN round " + t.round() + ": DP-SGD " + r.sampling() + " sampling q=" + r.samplingRate()
                + ", noise multiplier " + r.noiseMultiplier() + ", clip norm " + r.clipNorm() + ", " + r.steps() + " steps");
        TrainResult tr = r.result();
        return new TrainResult(tr.delta(), tr.numExamples(), Double.NaN, tr.steps());
    }

    /** Checks the model spec, fits harmonisation on first use, and downloads the global parameters. */
    private float[] prepare(TaskInstruction t) throws Exception {
        if (!sha256(t.modelSpecJson()).equals(t.modelDigest()))
            throw new IllegalStateException("model spec does not hash to the announced digest " + t.modelDigest());
        if (sequences != null) return prepareSequences(t);
        if (harmonizer == null) {
            FeatureStatistics global = link.statistics();
            harmonizer = FittedHarmonizer.fit(dictionary, global);
            List<Row> train = rows.train(), test = rows.test();
            xTrain = harmonizer.transform(train);
            yTrain = FittedHarmonizer.labels(train);
            tTrain = train.isEmpty() ? new float[0] : FittedHarmonizer.times(train);
            tTest = test.isEmpty() ? new float[0] : FittedHarmonizer.times(test);
            xTest = harmonizer.transform(test);
            yTest = FittedHarmonizer.labels(test);
            log.event(siteId, "harmonised with federated statistics: " + harmonizer.width() + " features");
        }
        if (trainer == null || !trainer.spec().digest().equals(t.modelDigest())) {
            if (trainer != null && borrowedTrainers == null) trainer.close();
            ModelSpec spec = ModelSpec.fromJson(t.modelSpecJson());
            if (spec.survival() && (tTrain == null || tTest == null))
                throw new IllegalStateException("the model is a survival model (kind " + spec.kind() + ") but this site's data has no"
                        + " survival time (label.time_column in its site config)");
            if (spec.inputs() != harmonizer.width())
                throw new IllegalStateException("model expects " + spec.inputs() + " inputs but this site's harmonised layout has "
                        + harmonizer.width() + " features");
            trainer = borrowedTrainers != null ? borrowedTrainers.apply(spec) : new LocalTrainer(spec, 1L);
        }
        return download(t);
    }

    /** Downloads the instruction's global model and checks its digest, length and finiteness. */
    private float[] download(TaskInstruction t) throws Exception {
        ParamFrame frame = link.model(t.modelVersion());
        if (!frame.modelDigest().equals(t.modelDigest()))
            throw new IllegalStateException("downloaded model is for spec " + frame.modelDigest() + ", instruction says " + t.modelDigest());
        if (frame.values().length != t.paramCount())
            throw new IllegalStateException("downloaded model has " + frame.values().length + " parameters, expected " + t.paramCount());
        if (frame.firstNonFinite() >= 0) throw new IllegalStateException("downloaded model has a non-finite parameter");
        return frame.values();
    }

    /**
     * {@link #prepare} for longitudinal data: harmonises both splits once with the merged statistics; a model of kind lstm
     * trains on the sequences, logistic / mlp on the per-window summaries (which the tabular trainer sees as its rows).
     */
    private float[] prepareSequences(TaskInstruction t) throws Exception {
        if (harmonised == null) {
            harmonised = sequences.harmonise(link.statistics());
            SequenceSite.Layout l = harmonised.layout();
            xTrain = harmonised.summaryTrain();
            yTrain = harmonised.train().y();
            xTest = harmonised.summaryTest();
            yTest = harmonised.test().y();
            log.event(siteId, "harmonised with federated statistics: " + l.steps() + " steps x " + l.channels() + " channels, "
                    + l.statics() + " statics, " + l.summaries() + " summary features");
        }
        ModelSpec current = sequenceTrainer != null ? sequenceTrainer.spec() : trainer != null ? trainer.spec() : null;
        if (current == null || !current.digest().equals(t.modelDigest())) {
            if (trainer != null) trainer.close();
            if (sequenceTrainer != null) sequenceTrainer.close();
            trainer = null;
            sequenceTrainer = null;
            ModelSpec spec = ModelSpec.fromJson(t.modelSpecJson());
            SequenceSite.Layout l = harmonised.layout();
            if (spec.isSequence()) {
                if (spec.inputs() != l.channels() || spec.statics() != l.statics())
                    throw new IllegalStateException("model expects " + spec.inputs() + " channels and " + spec.statics()
                            + " statics but this site's harmonised layout has " + l.channels() + " and " + l.statics());
                sequenceTrainer = new SequenceTrainer(spec, 1L);
            } else {
                if (spec.inputs() != l.summaries())
                    throw new IllegalStateException("model expects " + spec.inputs() + " inputs but this site's harmonised"
                            + " summaries have " + l.summaries() + " features");
                trainer = new LocalTrainer(spec, 1L);
            }
        }
        return download(t);
    }

    static String sha256(String s) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** FedProx / SCAFFOLD / Ditto state of this site (see {@link LocalAlgorithms}). */
    private final LocalAlgorithms algorithms = new LocalAlgorithms();

    /**
     * What this site keeps across rounds for FedProx / SCAFFOLD / Ditto (SCAFFOLD's c_i, Ditto's personal model), or null
     * when nothing: a driver that releases nodes between instructions saves it and {@link #restoreLocalAlgorithmState
     * restores} it into the next node built for the site.
     */
    public LocalAlgorithms.State localAlgorithmState() {
        return algorithms.state();
    }

    public SiteNode restoreLocalAlgorithmState(LocalAlgorithms.State state) {
        algorithms.restore(state);
        return this;
    }

    /** Ditto's personal model of the current run (never sent), or null when there is none. */
    public float[] personalModel() {
        return algorithms.personalModel();
    }

    /** SCAFFOLD's control variate c_i of the current run, or null. */
    public float[] controlVariate() {
        return algorithms.controlVariate();
    }

    public FittedHarmonizer harmonizer() {
        return harmonizer;
    }

    @Override
    public void close() {
        if (maskWorker != null) maskWorker.shutdownNow();
        secaggSession = null;
        if (trainer != null && borrowedTrainers == null) trainer.close();
        trainer = null;
        if (sequenceTrainer != null) sequenceTrainer.close();
        sequenceTrainer = null;
    }
}
