package org.fedehr.coordinator;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditExchanges;
import org.fedehr.protocol.audit.AuditKind;
import org.fedehr.protocol.audit.AuditSink;
import org.fedehr.protocol.codec.FrameFormatException;
import org.fedehr.protocol.codec.MaskedFrame;
import org.fedehr.protocol.codec.ParamCodec;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.MessageFormatException;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SecAggReply;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.secagg.SecAggConfig;
import org.fedehr.protocol.secagg.SecAggException;
import org.fedehr.protocol.secagg.SecAggServer;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The coordinator's domain logic for one run, independent of any transport: site registry, task publication,
 * reply validation and collection, round closing (quorum, grace, deadline), aggregation through the
 * {@link Strategy}, and federated evaluation. The HTTP verticle (and any in-process transport) is a thin
 * adapter around the thread-safe methods {@link #register}, {@link #nextTask}, {@link #submit}; {@link #run()}
 * drives the phases on the caller's thread (never an event loop).
 */
public final class FederationRun {
    private final RunSettings settings;
    private final Function<FeatureStatistics, InitialModel> initializer;
    private final RunListener listener;
    private final Clock clock;
    private final SecureRandom tokens = new SecureRandom();

    private final Object lock = new Object();
    private final Map<String, String> tokenBySite = new TreeMap<>();
    private final Map<String, TaskInstruction> currentTask = new TreeMap<>();
    private final Map<String, List<CompletableFuture<TaskInstruction>>> waiting = new TreeMap<>();
    private final Set<String> finishedSeen = new TreeSet<>();
    /** Per site, the phase ("KIND round N") of its last reply that was recorded, so a late retry is a duplicate. */
    private final Map<String, String> lastCounted = new TreeMap<>();
    /** Stale replies received since the last round record was built (guarded by lock). */
    private final List<String> lateReplies = new ArrayList<>();
    private long taskSeq = 0;
    private Phase phase;
    private boolean finished;

    private volatile InitialModel model;
    private volatile float[] global;
    private volatile int globalVersion = -1;
    private volatile byte[] globalFrame;
    private volatile FeatureStatistics globalStatistics;
    /** The largest training-row count one site reported in the statistics phase (secure aggregation's weight cap). */
    private volatile long maxSiteRows;
    /** Observes every masked vector the coordinator holds (tests: the coordinator never holds an unmasked update). */
    private volatile java.util.function.Consumer<int[]> maskedInputObserver = v -> { };
    private volatile org.fedehr.protocol.secagg.PeerVerifier advertVerifier;
    private final AtomicLong bytesUp = new AtomicLong();
    private volatile AuditSink audit = AuditSink.NONE;
    private final AtomicLong bytesDown = new AtomicLong();

    public FederationRun(RunSettings settings, Function<FeatureStatistics, InitialModel> initializer,
                         RunListener listener, Clock clock) {
        this.settings = settings;
        this.initializer = initializer;
        this.listener = listener == null ? new RunListener() { } : listener;
        this.clock = clock;
    }

    public RunSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- transport-facing, thread-safe

    /** Registers (or re-registers, after a crash) a site and returns its bearer token. */
    public RegisterResponse register(String siteId, long pollTimeoutMs) {
        byte[] raw = new byte[32];
        tokens.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        boolean rejoin;
        synchronized (lock) {
            rejoin = tokenBySite.containsKey(siteId);
            tokenBySite.put(siteId, token);
            if (finished) publish(siteId, finishedTask());
            lock.notifyAll();
        }
        listener.event((rejoin ? "site re-registered: " : "site registered: ") + siteId);
        return new RegisterResponse(settings.runId(), siteId, token, pollTimeoutMs);
    }

    /**
     * Records a refused connection or request (a certificate that is not the federation's, expired, revoked, or a
     * site claiming another site's id): one line naming which certificate or site and why, never key material.
     */
    public void accessRefused(String message) {
        listener.event("access refused: " + message);
    }

    /**
     * A registered site's certificate is no longer accepted (revoked or expired since it connected): the site leaves
     * the federation. If the open phase waits for it, that is its recorded failure ("certificate refused") and the
     * phase no longer waits; it is not selected again unless it registers anew with a valid certificate.
     */
    public void certificateRefused(String siteId, String why) {
        boolean removed;
        synchronized (lock) {
            removed = tokenBySite.remove(siteId) != null;
            Phase p = phase;
            if (p != null && !p.closed && p.expected.contains(siteId) && !p.replied.contains(siteId)) {
                p.failures.add(new SiteFailure(siteId, "certificate refused", why));
                p.replied.add(siteId);
            }
            lock.notifyAll();
        }
        if (removed) listener.event("site removed: " + siteId + " (certificate refused: " + why + ")");
    }

    /** Constant-time check of a site's bearer token. */
    public boolean authenticate(String siteId, String token) {
        String expected;
        synchronized (lock) {
            expected = tokenBySite.get(siteId);
        }
        return expected != null && token != null
                && MessageDigest.isEqual(expected.getBytes(), token.getBytes());
    }

    /** The site's next task after {@code afterSeq}: completes at once if there is one, else when one is published. */
    public CompletableFuture<TaskInstruction> nextTask(String siteId, long afterSeq) {
        synchronized (lock) {
            TaskInstruction t = currentTask.get(siteId);
            if (t != null && t.taskSeq() > afterSeq) {
                if (t.kind() == TaskKind.FINISHED) {
                    finishedSeen.add(siteId);
                    lock.notifyAll();
                }
                return CompletableFuture.completedFuture(t);
            }
            CompletableFuture<TaskInstruction> f = new CompletableFuture<>();
            waiting.computeIfAbsent(siteId, k -> new ArrayList<>()).add(f);
            return f;
        }
    }

    /** The encoded global model the given round trains from (or, for evaluation, the one produced by it). */
    public byte[] modelFrame(int version) {
        byte[] f = globalFrame;
        if (f == null || version != globalVersion) return null;
        return f;
    }

    /** The current global model's encoded frame (null before the statistics phase), read in one step. */
    public byte[] currentModelFrame() {
        return globalFrame;
    }

    public int globalVersion() {
        return globalVersion;
    }

    public FeatureStatistics globalStatistics() {
        return globalStatistics;
    }

    /**
     * Makes the coordinator check every secure-aggregation key advert against the federation's certificates as it
     * arrives (each site checks its peers' adverts in any case): a site whose certificate or signature does not verify is
     * that round's failure at the key stage, before anyone shares secrets with it.
     */
    public FederationRun verifyKeyAdvertsWith(org.fedehr.protocol.secagg.PeerVerifier verifier) {
        this.advertVerifier = verifier;
        return this;
    }

    /** For tests: sees (a copy of) every masked update vector this coordinator receives under secure aggregation. */
    public void observeMaskedInputs(java.util.function.Consumer<int[]> observer) {
        this.maskedInputObserver = observer == null ? v -> { } : observer;
    }

    /** Bytes received from sites so far. */
    public long bytesUp() {
        return bytesUp.get();
    }

    /** Bytes sent to sites so far. */
    public long bytesDown() {
        return bytesDown.get();
    }

    public void countDown(long bytes) {
        bytesDown.addAndGet(bytes);
    }

    /**
     * Decodes, validates and records a site's reply as it arrived on the wire. Never throws for bad input. A reply
     * the strict decoder refuses (unknown JSON field, float64 or malformed frame; see {@link ReplyEnvelope}) gets
     * 400 and, when its addressing can still be read and it answers the open phase, is recorded as that site's
     * failure for the round ("rejected update"), exactly like an update that fails validation: it never enters the
     * sum, and the round does not wait for the site until it times out.
     */
    public ReplyOutcome submit(String siteId, byte[] body) {
        ReplyEnvelope env;
        try {
            env = ReplyEnvelope.decode(body);
        } catch (FrameFormatException | MessageFormatException | IllegalArgumentException e) {
            bytesUp.addAndGet(body.length);
            ReplyEnvelope.Address a = ReplyEnvelope.peekAddress(body);
            // recorded before the lock is released: the run cannot close the phase (and seal its ledger) in between
            synchronized (lock) {
                ReplyOutcome o = refuseMalformed(siteId, a, e.getMessage());
                audit.record(AuditEvent.exchange(AuditEvent.COORDINATOR, (a == null ? settings.runId() : a.runId()).toString(),
                        a == null ? null : a.round(), AuditEvent.Direction.RECEIVED, siteId,
                        a == null ? AuditKind.ERROR : AuditExchanges.kind(a.kind()), body).withNote("malformed, rejected: " + o.message()));
                return o;
            }
        }
        synchronized (lock) {   // as above: the reply is in the ledger before the run thread can act on it
            ReplyOutcome o = submit(siteId, env, body.length);
            // a repeat of a counted reply is not recorded again: the site records each reply once
            if (!"duplicate".equals(o.code()))
                audit.record(AuditExchanges.reply(AuditEvent.COORDINATOR, AuditEvent.Direction.RECEIVED, siteId, env.reply(), body)
                        .withNote(o.ok() ? (env.reply().status() == ReplyStatus.OK ? null : "accepted, " + env.reply().status())
                                : "rejected (" + o.httpStatus() + " " + o.code() + "): " + o.message()));
            return o;
        }
    }

    /**
     * Records every instruction published to a site and every reply received (except repeats of a counted reply)
     * in {@code sink}, e.g. the coordinator's {@link org.fedehr.protocol.audit.AuditLedger}.
     */
    public FederationRun audit(AuditSink sink) {
        this.audit = sink == null ? AuditSink.NONE : sink;
        return this;
    }

    private ReplyOutcome refuseMalformed(String siteId, ReplyEnvelope.Address a, String problem) {
        synchronized (lock) {
            Phase p = phase;
            if (a != null && a.siteId().equals(siteId) && a.runId().equals(settings.runId()) && p != null && !p.closed
                    && p.round == a.round() && p.kind == a.kind() && p.expected.contains(siteId)
                    && !p.replied.contains(siteId)) {
                p.failures.add(new SiteFailure(siteId, p.kind == TaskKind.TRAIN ? "rejected update" : "rejected reply", problem));
                p.replied.add(siteId);
                lastCounted.put(siteId, phaseKey(p.kind, p.round));
                lock.notifyAll();
                listener.event("malformed reply rejected: site " + siteId + " " + p.kind + " round " + p.round + ": " + problem);
            } else {
                listener.event("malformed reply rejected: site " + siteId + ": " + problem);
            }
        }
        return ReplyOutcome.rejected(400, "bad_message", "malformed reply: " + problem);
    }

    /**
     * Validates and records a decoded site's reply. Never throws for bad input: the outcome carries the HTTP status
     * and a message naming the problem. An update that fails validation is recorded as that site's failure for
     * the round and never enters the sum.
     */
    public ReplyOutcome submit(String siteId, ReplyEnvelope env, long bodyBytes) {
        bytesUp.addAndGet(bodyBytes);
        SiteReply r = env.reply();
        synchronized (lock) {
            if (!r.siteId().equals(siteId))
                return ReplyOutcome.rejected(403, "wrong_site", "reply names site " + r.siteId() + " but was sent by " + siteId);
            if (!r.runId().equals(settings.runId()))
                return ReplyOutcome.rejected(409, "other_run", "reply belongs to run " + r.runId() + ", current run is " + settings.runId());
            Phase p = phase;
            String key = phaseKey(r.kind(), r.round());
            boolean answersOpenPhase = p != null && !p.closed && p.round == r.round() && p.kind == r.kind();
            if (!answersOpenPhase && key.equals(lastCounted.get(siteId))) {
                // a retry of a reply that was counted before its phase closed: idempotent, not stale
                listener.event("duplicate reply ignored: site " + siteId + " " + key); // the phase has already closed
                return ReplyOutcome.duplicate("duplicate reply for " + key + " ignored; the first copy counted");
            }
            if (!answersOpenPhase) {
                String current = p == null ? "none" : p.kind + " round " + p.round + (p.closed ? " (closed)" : "");
                listener.event("stale reply refused: site " + siteId + " sent " + r.kind() + " round " + r.round() + ", current " + current);
                lateReplies.add(siteId + ": " + r.kind() + " round " + r.round() + " arrived during " + current);
                return ReplyOutcome.rejected(409, "stale", "stale reply for " + r.kind() + " round " + r.round() + "; current phase is " + current);
            }
            if (!p.expected.contains(siteId))
                return ReplyOutcome.rejected(403, "not_selected", "site " + siteId + " was not selected for " + p.kind + " round " + p.round);
            if (p.replied.contains(siteId)) {
                listener.event("duplicate reply ignored: site " + siteId + " " + p.kind + " round " + p.round);
                return ReplyOutcome.duplicate("duplicate reply for " + p.kind + " round " + p.round + " ignored; the first copy counts");
            }
            ReplyOutcome outcome = record(p, siteId, r, env.update(), env.masked());
            p.replied.add(siteId);
            lastCounted.put(siteId, key);
            lock.notifyAll();
            return outcome;
        }
    }

    /** "TRAIN round 3": how a phase is named in events, messages and {@link #lastCounted}. */
    private static String phaseKey(TaskKind kind, int round) {
        return kind + " round " + round;
    }

    /**
     * Notes that the transport refused a reply from {@code siteId} before it could be read (e.g. a body over the
     * size limit). The site is not counted as having replied: a later valid reply still counts. If none comes
     * before the phase closes, this refusal (not a bare timeout) is the site's recorded failure.
     */
    public void refusedInTransport(String siteId, String reason, String detail) {
        synchronized (lock) {
            Phase p = phase;
            if (p == null || p.closed || !p.expected.contains(siteId) || p.replied.contains(siteId)) return;
            p.transportRefusals.put(siteId, new SiteFailure(siteId, reason, detail));
        }
        listener.event("reply refused in transport: site " + siteId + ": " + reason + " (" + detail + ")");
    }

    private ReplyOutcome record(Phase p, String siteId, SiteReply r, ParamFrame update, MaskedFrame masked) {
        switch (r.status()) {
            case FAILED -> {
                p.failures.add(new SiteFailure(siteId, "site error", r.errorClass() + ": " + r.message()));
                return ReplyOutcome.accepted();
            }
            case REFUSED -> {
                p.failures.add(new SiteFailure(siteId, "refused", r.message()));
                return ReplyOutcome.accepted();
            }
            case NO_DATA -> {
                p.noData.add(siteId);
                return ReplyOutcome.accepted();
            }
            case OK -> {
            }
        }
        switch (p.kind) {
            case STATISTICS -> p.statistics.put(siteId, r.statistics());
            case EVALUATE -> p.eval.put(siteId, r.eval());
            case SECAGG_KEYS, SECAGG_SHARES, SECAGG_UNMASK -> {
                String problem = validateSecAgg(p.kind, r.secagg());
                if (problem != null) {
                    p.failures.add(new SiteFailure(siteId, "rejected reply", problem));
                    return ReplyOutcome.rejected(422, "invalid_reply", problem);
                }
                p.secagg.put(siteId, r.secagg());
            }
            case TRAIN -> {
                if (settings.secureAggregation() != null) return recordMasked(p, siteId, r, update, masked);
                if (masked != null) {
                    String problem = "masked update refused: this run does not use secure aggregation";
                    p.failures.add(new SiteFailure(siteId, "rejected update", problem));
                    return ReplyOutcome.rejected(422, "invalid_update", problem);
                }
                String problem = validateUpdate(p, r, update);
                if (problem != null) {
                    p.failures.add(new SiteFailure(siteId, "rejected update", problem));
                    listener.event("update rejected: site " + siteId + " round " + p.round + ": " + problem);
                    return ReplyOutcome.rejected(422, "invalid_update", problem);
                }
                if (update.weight() == 0) {
                    // no rows trained on: nothing to average and not a vote towards the quorum (cases C03, C04)
                    p.noData.add(siteId);
                    listener.event("update with 0 training rows counted as no data: site " + siteId + " round " + p.round);
                    return ReplyOutcome.accepted();
                }
                p.updates.put(siteId, new SiteUpdate(siteId, update.weight(), update.values()));
            }
            default -> {
                return ReplyOutcome.rejected(400, "bad_kind", "no reply expected for " + p.kind);
            }
        }
        return ReplyOutcome.accepted();
    }

    /** The payload a secure-aggregation stage expects, or a message naming what is missing. */
    private static String validateSecAgg(TaskKind kind, SecAggReply a) {
        if (a == null) return kind + " reply carries no secure-aggregation payload";
        return switch (kind) {
            case SECAGG_KEYS -> a.advert() == null ? "SECAGG_KEYS reply carries no key advert" : null;
            case SECAGG_SHARES -> a.shares() == null ? "SECAGG_SHARES reply carries no encrypted shares" : null;
            case SECAGG_UNMASK -> a.reveals() == null ? "SECAGG_UNMASK reply carries no shares" : null;
            default -> "unexpected secure-aggregation payload for " + kind;
        };
    }

    /**
     * Records a masked update (secure aggregation): checked against the round's manifest (run, round, model digest,
     * parameter count + 1 ring elements) before it may enter the sum. A plain float update is refused: under secure
     * aggregation the coordinator never accepts an unmasked individual update. A site with no training rows sends a
     * masked vector of zeros with weight 0, so that the others' masks still cancel; it is reported as "no data".
     */
    private ReplyOutcome recordMasked(Phase p, String siteId, SiteReply r, ParamFrame plain, MaskedFrame m) {
        String problem;
        if (plain != null) problem = "plain update refused: this run uses secure aggregation, updates must be masked";
        else if (m == null) problem = "TRAIN reply carries no masked update";
        else if (!m.runId().equals(settings.runId())) problem = "masked update belongs to run " + m.runId();
        else if (m.round() != p.round) problem = "masked update is for round " + m.round() + ", expected " + p.round;
        else if (!m.modelDigest().equals(model.digest()))
            problem = "masked update is for model " + m.modelDigest().substring(0, 12) + "…, expected " + model.digest().substring(0, 12) + "…";
        else if (m.values().length != model.parameters().length + 1)
            problem = "masked update has " + m.values().length + " ring elements, expected " + (model.parameters().length + 1)
                    + " (" + model.parameters().length + " parameters + weight)";
        else if (r.train() == null) problem = "masked update without a training summary";
        else problem = null;
        if (problem != null) {
            p.failures.add(new SiteFailure(siteId, "rejected update", problem));
            listener.event("update rejected: site " + siteId + " round " + p.round + ": " + problem);
            return ReplyOutcome.rejected(422, "invalid_update", problem);
        }
        p.masked.put(siteId, m);
        p.trainSummaries.put(siteId, r.train());
        if (r.train().numExamples() == 0) p.noData.add(siteId);
        if (r.train().clippedValues() > 0)
            listener.event("site " + siteId + " round " + p.round + ": " + r.train().clippedValues()
                    + " update values clipped to the secure-aggregation range");
        maskedInputObserver.accept(m.values().clone());
        return ReplyOutcome.accepted();
    }

    /** Checks an update against the model's manifest; returns a message naming the problem, or null if valid. */
    private String validateUpdate(Phase p, SiteReply r, ParamFrame u) {
        if (u == null) return "TRAIN reply carries no update frame";
        if (u.kind() != ParamFrame.Kind.UPDATE) return "frame kind is " + u.kind() + ", expected UPDATE";
        if (!u.runId().equals(settings.runId())) return "update frame belongs to run " + u.runId();
        if (u.round() != p.round) return "update frame is for round " + u.round() + ", expected " + p.round;
        if (!u.modelDigest().equals(model.digest()))
            return "update is for model " + u.modelDigest().substring(0, 12) + "…, expected " + model.digest().substring(0, 12) + "…";
        int expected = model.parameters().length;
        if (u.values().length != expected)
            return "update has " + u.values().length + " values, expected " + expected;
        if (u.firstNonFinite() >= 0) return "non-finite update: " + describeNonFinite(u.values());
        if (r.train() == null || u.weight() != r.train().numExamples())
            return "update weight " + u.weight() + " does not match reported training rows "
                    + (r.train() == null ? "(none)" : r.train().numExamples());
        return null;
    }

    /** "2 values (NaN at index 7, Infinity at index 9)": count and the first few positions, never other values. */
    static String describeNonFinite(float[] v) {
        StringJoiner first = new StringJoiner(", ");
        int count = 0;
        for (int i = 0; i < v.length; i++) {
            if (Float.isFinite(v[i])) continue;
            if (++count <= 5) first.add(v[i] + " at index " + i);
        }
        return count + " value" + (count == 1 ? "" : "s") + " (" + first + (count > 5 ? ", …" : "") + ")";
    }

    /** Sites that fetched their FINISHED instruction. */
    public Set<String> sitesFinished() {
        synchronized (lock) {
            return new TreeSet<>(finishedSeen);
        }
    }

    public List<String> registeredSites() {
        synchronized (lock) {
            return new ArrayList<>(tokenBySite.keySet());
        }
    }

    // ---------------------------------------------------------------- the run itself

    /** Runs the whole federation on the calling thread and returns its result. */
    public RunResult run() throws InterruptedException {
        RoundPolicy pol = settings.policy();
        long t0 = System.nanoTime();
        List<RoundRecord> records = new ArrayList<>();
        String status;
        try {
            awaitRegistrations();
            // 1. federated statistics for harmonisation
            Phase stats = openPhase(TaskKind.STATISTICS, 0, registeredSites());
            awaitClose(stats);
            List<FeatureStatistics> parts = new ArrayList<>(stats.statistics.values());
            FeatureStatistics merged = FeatureStatistics.merge(parts);
            listener.event("statistics phase: " + stats.statistics.size() + " sites, " + merged.rows() + " training rows"
                    + (stats.failures.isEmpty() ? "" : ", failures " + stats.failures));
            if (merged.rows() == 0)
                throw new RunFailedException("statistics phase: total weight 0 (no site reported training rows)");
            globalStatistics = merged;
            maxSiteRows = stats.statistics.values().stream().mapToLong(FeatureStatistics::rows).max().orElse(0);
            model = withStrategyState(initializer.apply(merged));
            setGlobal(model.parameters().clone(), 0);
            // 2. rounds
            for (int round = 1; round <= pol.rounds(); round++) {
                records.add(runRound(round));
            }
            status = "completed " + pol.rounds() + (pol.rounds() == 1 ? " round" : " rounds");
        } catch (RunFailedException e) {
            status = "failed: " + e.getMessage();
            listener.event("run failed: " + e.getMessage());
        }
        // the totals cover the statistics phase and the rounds; they are taken before the closing FINISHED
        // instructions go out, whose delivery races with this thread and would make the totals timing-dependent
        long up = bytesUp.get(), down = bytesDown.get();
        finish();
        RunResult result = new RunResult(settings.runId(), settings.strategy().name(),
                model == null ? null : model.digest(), global == null ? null : java.util.Arrays.copyOf(global, modelLength),
                List.copyOf(records),
                up, down, status);
        listener.runFinished(result);
        return result;
    }

    private RoundRecord runRound(int round) throws InterruptedException {
        long start = System.nanoTime();
        long up0 = bytesUp.get(), down0 = bytesDown.get();
        List<String> selected = settings.strategy().configureTrain(round, registeredSites());
        TrainOutcome t = settings.secureAggregation() != null ? secureTrain(round, selected) : plainTrain(round, selected);
        if (!t.updated) setGlobal(global, round); // same parameters, re-versioned so evaluation and next round can fetch it
        EvaluationSummary eval = null;
        if (settings.evaluateEveryRound() || round == settings.policy().rounds()) {
            Phase ev = openPhase(TaskKind.EVALUATE, round, settings.strategy().configureEvaluate(round, registeredSites()));
            awaitClose(ev);
            eval = settings.strategy().aggregateEvaluate(round, new TreeMap<>(ev.eval), List.copyOf(ev.failures));
        }
        List<String> late;
        synchronized (lock) {
            late = List.copyOf(lateReplies);
            lateReplies.clear();
        }
        RoundRecord rec = new RoundRecord(round, List.copyOf(selected), t.updated ? t.contributed : Map.of(), t.noData,
                List.copyOf(t.failures), t.updated, t.status, eval, bytesUp.get() - up0, bytesDown.get() - down0,
                (System.nanoTime() - start) / 1e9, late);
        listener.event("round " + round + " " + t.status);
        listener.roundCompleted(rec);
        return rec;
    }

    /**
     * What the training part of a round produced. {@code contributed}: sites whose update entered the aggregate,
     * with their weights; {@code failures} in site-id order, not arrival order, so the same run gives the same record
     * and status text (case C13).
     */
    private record TrainOutcome(boolean updated, String status, Map<String, Double> contributed, List<String> noData,
                                List<SiteFailure> failures) {
    }

    /** Training with plain updates: collect, validate, aggregate through the strategy. */
    private TrainOutcome plainTrain(int round, List<String> selected) throws InterruptedException {
        Phase train = openPhase(TaskKind.TRAIN, round, selected);
        awaitClose(train);
        List<SiteUpdate> updates = new ArrayList<>(train.updates.values());
        List<SiteFailure> failures = sorted(train.failures);
        List<String> noData = List.copyOf(new TreeSet<>(train.noData));
        int quorum = settings.policy().quorum();
        if (updates.isEmpty() && !noData.isEmpty()) {
            return failed("total weight 0 (no training rows at " + String.join(", ", noData) + "); 0 successful updates, quorum is "
                    + quorum, noData, failures);
        }
        if (updates.size() < quorum) {
            return failed(updates.size() + " successful update" + (updates.size() == 1 ? "" : "s") + ", quorum is " + quorum,
                    noData, failures);
        }
        Map<String, Double> contributed = new LinkedHashMap<>();
        for (SiteUpdate u : updates) contributed.put(u.siteId(), u.weight());
        return adopt(round, settings.strategy().aggregateTrain(round, global.clone(), updates, failures), contributed, noData, failures);
    }

    /** Adopts an aggregation's new global model if it is finite and of the right length. */
    private TrainOutcome adopt(int round, Aggregation agg, Map<String, Double> contributed, List<String> noData, List<SiteFailure> failures) {
        if (agg.updated() && allFinite(agg.newGlobal()) && agg.newGlobal().length == global.length) {
            setGlobal(agg.newGlobal(), round);
            return new TrainOutcome(true, failures.isEmpty() ? "completed" : "completed with " + countedFailures(failures),
                    contributed, noData, failures);
        }
        return failed(agg.updated() ? "aggregate not finite or wrong length" : agg.failureReason(), noData, failures);
    }

    private static TrainOutcome failed(String reason, List<String> noData, List<SiteFailure> failures) {
        return new TrainOutcome(false, "failed: " + reason + "; global model unchanged" + describeFailures(failures)
                + (noData.isEmpty() || reason.startsWith("total weight 0") ? "" : "; no data: " + String.join(", ", noData)),
                Map.of(), noData, failures);
    }

    private static List<SiteFailure> sorted(java.util.Collection<SiteFailure> failures) {
        List<SiteFailure> out = new ArrayList<>(failures);
        out.sort(java.util.Comparator.comparing(SiteFailure::siteId));
        return out;
    }

    /**
     * Training under secure aggregation (Bonawitz et al. 2017), four collections in one round: key adverts (U1),
     * encrypted shares (U2), masked updates (U3), unmasking shares. A site that fails or times out at a stage is
     * that stage's failure and is not asked again this round; the others go on as long as at least t remain. Below t,
     * or below the quorum of masked updates, the round fails closed: nothing is unmasked, no partial sum exists.
     * The coordinator only ever holds masked vectors and, at the end, their sum.
     */
    private TrainOutcome secureTrain(int round, List<String> selected) throws InterruptedException {
        SecureAggregation sa = settings.secureAggregation();
        List<SiteFailure> failures = new ArrayList<>();
        int t = sa.thresholdFor(selected.size());
        int cap = sa.weightCap() > 0 ? sa.weightCap() : (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxSiteRows));
        SecAggConfig cfg;
        SecAggServer server;
        try {
            cfg = SecAggConfig.choose(selected.size(), t, sa.clipRange(), cap, sa.maxStep() * cap);
            server = new SecAggServer(settings.runId(), round, cfg, selected, advertVerifier);
            server.expectLength(model.parameters().length + 1);
        } catch (SecAggException | IllegalArgumentException e) {
            return failed("secure aggregation refused: " + e.getMessage(), List.of(), failures);
        }
        SecAggTask base = SecAggTask.of(cfg);
        try {
            // stage 0: signed ephemeral public keys
            Phase keys = openPhase(TaskKind.SECAGG_KEYS, round, selected, s -> base);
            awaitClose(keys);
            failures.addAll(keys.failures);
            for (var e : keys.secagg.entrySet()) accept(failures, e.getKey(), "key advert", () -> server.acceptAdvert(e.getKey(), e.getValue().advert()));
            var u1 = server.closeAdvertising();
            // stage 1: Shamir shares, encrypted site to site; the coordinator relays what it cannot read
            SecAggTask withRoster = base.withRoster(u1);
            Phase shares = openPhase(TaskKind.SECAGG_SHARES, round, u1.stream().map(a -> a.siteId()).toList(), s -> withRoster);
            awaitClose(shares);
            failures.addAll(shares.failures);
            for (var e : shares.secagg.entrySet()) accept(failures, e.getKey(), "shares", () -> server.acceptShares(e.getKey(), e.getValue().shares()));
            List<String> u2 = server.closeSharing();
            // stage 2: train and upload masked updates (sites expand their masks while they train)
            Phase train = openPhase(TaskKind.TRAIN, round, u2, s -> base.withShares(u2, server.inboxOf(s)));
            awaitClose(train);
            failures.addAll(train.failures);
            for (var e : train.masked.entrySet()) accept(failures, e.getKey(), "masked update", () -> server.acceptMaskedInput(e.getKey(), e.getValue().values()));
            List<String> u3 = server.closeMasking();
            long reported = 0;
            List<String> noData = new ArrayList<>();
            for (String s : u3) {
                TrainSummary ts = train.trainSummaries.get(s);
                reported += ts.numExamples();
                if (ts.numExamples() == 0) noData.add(s);
            }
            int withData = u3.size() - noData.size();
            int quorum = settings.policy().quorum();
            if (withData == 0) return failed("total weight 0 (no training rows at " + String.join(", ", noData)
                    + "); 0 successful updates, quorum is " + quorum + "; nothing unmasked", noData, sorted(failures));
            if (withData < quorum)
                return failed(withData + " successful update" + (withData == 1 ? "" : "s") + ", quorum is " + quorum
                        + "; nothing unmasked", noData, sorted(failures));
            // stage 3: survivors reveal self-mask shares of survivors and masking-key shares of dropped sites
            Phase unmask = openPhase(TaskKind.SECAGG_UNMASK, round, u3, s -> base.withSurvivors(u3));
            awaitClose(unmask);
            for (SiteFailure f : unmask.failures) // a survivor that does not help unmask is recorded, its update still counts
                failures.add(new SiteFailure(f.siteId(), f.reason(), "during unmasking: " + f.detail()));
            for (var e : unmask.secagg.entrySet()) accept(failures, e.getKey(), "unmasking shares", () -> server.acceptReveals(e.getKey(), e.getValue().reveals()));
            SecAggServer.Result sum = server.closeUnmasking();
            if (Math.round(sum.totalWeight()) != reported)
                return failed("the unmasked total weight " + Math.round(sum.totalWeight()) + " differs from the " + reported
                        + " training rows the survivors reported: a masked update is inconsistent", noData, sorted(failures));
            Map<String, Double> contributed = new LinkedHashMap<>();
            for (String s : u3) {
                TrainSummary ts = train.trainSummaries.get(s);
                if (ts.numExamples() > 0) contributed.put(s, (double) ts.numExamples());
            }
            listener.event("secure aggregation round " + round + ": t=" + t + ", " + u3.size() + " of " + selected.size()
                    + " masked updates unmasked as a sum (quantisation step " + String.format(java.util.Locale.ROOT, "%.1e", cfg.step(sum.totalWeight())) + ")");
            List<SiteFailure> f = sorted(failures);
            return adopt(round, settings.strategy().aggregateMean(round, global.clone(), sum.mean(), sum.totalWeight(),
                    List.copyOf(contributed.keySet()), f), contributed, noData, f);
        } catch (SecAggException e) {
            return failed("secure aggregation failed closed: " + e.getMessage(), List.of(), sorted(failures));
        }
    }

    /** Hands one site's stage material to the protocol; a protocol violation is that site's failure. */
    private void accept(List<SiteFailure> failures, String site, String what, Runnable step) {
        try {
            step.run();
        } catch (SecAggException | IllegalArgumentException e) {
            failures.add(new SiteFailure(site, "rejected " + what, e.getMessage()));
            listener.event("secure aggregation: " + what + " of site " + site + " rejected: " + e.getMessage());
        }
    }

    /** "2 failures (B: timeout (…); C: site error (…))". */
    private static String countedFailures(List<SiteFailure> failures) {
        StringJoiner j = new StringJoiner("; ");
        for (SiteFailure f : failures) j.add(f.toString());
        return failures.size() + " failure" + (failures.size() == 1 ? "" : "s") + " (" + j + ")";
    }

    private static String describeFailures(List<SiteFailure> failures) {
        return failures.isEmpty() ? "" : "; " + countedFailures(failures);
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) if (!Float.isFinite(x)) return false;
        return true;
    }

    private void setGlobal(float[] params, int version) {
        float[] copy = params.clone();
        globalFrame = ParamCodec.encode(new ParamFrame(ParamFrame.Kind.MODEL, settings.runId(), version, 0,
                model.digest(), copy));
        global = copy;
        globalVersion = version;
    }

    /** The model's own parameter count (the global vector may carry strategy state after it, e.g. SCAFFOLD's c). */
    private volatile int modelLength;

    /**
     * The initial model extended by the strategy's state (SCAFFOLD: the control variate c = 0 after the parameters),
     * so that frames, instructions and update validation all use one length.
     */
    private InitialModel withStrategyState(InitialModel m) {
        int p = m.parameters().length;
        modelLength = p;
        int length = org.fedehr.protocol.msg.LocalAlgorithm.vectorLength(settings.strategy().localAlgorithm(), p);
        return length == p ? m : new InitialModel(m.specJson(), m.digest(), java.util.Arrays.copyOf(m.parameters(), length));
    }

    private void awaitRegistrations() throws InterruptedException {
        long deadline = System.nanoTime() + settings.policy().registrationTimeout().toNanos();
        synchronized (lock) {
            while (tokenBySite.size() < settings.policy().minSites()) {
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new RunFailedException("only " + tokenBySite.size() + " of " + settings.policy().minSites()
                            + " sites registered within " + settings.policy().registrationTimeout());
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private Phase openPhase(TaskKind kind, int round, List<String> sites) {
        return openPhase(kind, round, sites, s -> null);
    }

    /** Opens a phase; {@code secagg} gives each site's secure-aggregation material for it (or null). */
    private Phase openPhase(TaskKind kind, int round, java.util.Collection<String> sites, Function<String, SecAggTask> secagg) {
        java.time.Duration limit = settings.policy().deadline();
        boolean secaggStage = kind == TaskKind.SECAGG_KEYS || kind == TaskKind.SECAGG_SHARES || kind == TaskKind.SECAGG_UNMASK;
        if (secaggStage && settings.secureAggregation().stageTimeout().compareTo(limit) < 0)
            limit = settings.secureAggregation().stageTimeout();
        Phase p = new Phase(kind, round, new TreeSet<>(sites), limit);
        long deadlineMs = clock.millis() + limit.toMillis();
        synchronized (lock) {
            phase = p;
            for (String s : p.expected) {
                long seed = settings.seed() * 1_000_003L + round * 7919L + s.hashCode();
                TaskInstruction t = new TaskInstruction(settings.runId(), ++taskSeq, round, kind,
                        model == null ? null : model.digest(), model == null ? null : model.specJson(),
                        globalVersion, model == null ? 0 : model.parameters().length,
                        kind == TaskKind.TRAIN ? settings.training() : null, seed, deadlineMs, secagg.apply(s),
                        kind == TaskKind.TRAIN || kind == TaskKind.EVALUATE ? settings.strategy().localAlgorithm() : null);
                publish(s, t);
            }
        }
        listener.event("opened " + kind + " round " + round + " for " + p.expected.size() + " sites");
        return p;
    }

    private void publish(String site, TaskInstruction t) {
        if (audit != AuditSink.NONE)
            audit.record(AuditExchanges.instruction(AuditEvent.COORDINATOR, AuditEvent.Direction.SENT, site, t, Json.bytes(t)));
        currentTask.put(site, t);
        List<CompletableFuture<TaskInstruction>> fs = waiting.remove(site);
        if (fs != null) {
            if (t.kind() == TaskKind.FINISHED) finishedSeen.add(site);
            for (CompletableFuture<TaskInstruction> f : fs) f.complete(t);
        }
    }

    /** Waits until every expected site replied, or quorum + grace, or the deadline; then closes the phase. */
    private void awaitClose(Phase p) throws InterruptedException {
        RoundPolicy pol = settings.policy();
        long opened = System.nanoTime();
        long deadline = opened + p.deadline.toNanos();
        long quorumAt = -1;
        synchronized (lock) {
            while (true) {
                if (p.replied.containsAll(p.expected)) break;
                long now = System.nanoTime();
                int ok = p.successes();
                if (ok >= Math.min(pol.quorum(), p.expected.size()) && quorumAt < 0) quorumAt = now;
                long until = deadline;
                if (quorumAt >= 0) until = Math.min(until, quorumAt + pol.grace().toNanos());
                if (now >= until) break;
                lock.wait(Math.max(1, (until - now) / 1_000_000));
            }
            p.closed = true;
            for (String s : p.expected) {
                if (!p.replied.contains(s)) p.failures.add(p.transportRefusals.getOrDefault(s, new SiteFailure(s, "timeout",
                        "no reply to " + p.kind + " round " + p.round + " before the round closed")));
            }
        }
    }

    private TaskInstruction finishedTask() {
        return new TaskInstruction(settings.runId(), ++taskSeq, globalVersion < 0 ? 0 : globalVersion,
                TaskKind.FINISHED, model == null ? null : model.digest(), null, globalVersion, 0, null, 0, clock.millis());
    }

    private void finish() {
        synchronized (lock) {
            finished = true;
            phase = null;
            for (String s : tokenBySite.keySet()) publish(s, finishedTask());
            lock.notifyAll();
        }
    }

    /** Waits (bounded) until every registered site has fetched its FINISHED instruction. */
    public boolean awaitSitesFinished(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (lock) {
            while (!finishedSeen.containsAll(tokenBySite.keySet())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** One open collection: what was asked of whom, and what came back. Guarded by {@code lock}. */
    private static final class Phase {
        final TaskKind kind;
        final int round;
        final Set<String> expected;
        final Set<String> replied = new TreeSet<>();
        final List<SiteFailure> failures = new ArrayList<>();
        final List<String> noData = new ArrayList<>();
        final Map<String, SiteUpdate> updates = new TreeMap<>();
        final Map<String, EvalMetrics> eval = new TreeMap<>();
        final Map<String, FeatureStatistics> statistics = new TreeMap<>();
        final Map<String, SiteFailure> transportRefusals = new TreeMap<>();
        final Map<String, SecAggReply> secagg = new TreeMap<>();
        final Map<String, MaskedFrame> masked = new TreeMap<>();
        final Map<String, TrainSummary> trainSummaries = new TreeMap<>();
        /** How long the phase stays open at most (the round deadline, or secure aggregation's shorter stage timeout). */
        final java.time.Duration deadline;
        boolean closed;

        Phase(TaskKind kind, int round, Set<String> expected, java.time.Duration deadline) {
            this.kind = kind;
            this.round = round;
            this.expected = expected;
            this.deadline = deadline;
        }

        int successes() {
            return updates.size() + eval.size() + statistics.size() + secagg.size() + masked.size();
        }
    }

    /** The run cannot continue; the message says why. */
    public static final class RunFailedException extends RuntimeException {
        public RunFailedException(String message) {
            super(message);
        }
    }
}
