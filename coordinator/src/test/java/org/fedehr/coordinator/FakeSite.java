package org.fedehr.coordinator;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A scripted site acting on {@link FederationRun} directly (no transport). Every reply is encoded and handed
 * to {@link FederationRun#submit(String, byte[])} as bytes, as the HTTP layer does, so a malformed one is
 * refused where the HTTP layer would refuse it (400); such refusals are also noted in {@link #decodeErrors}.
 * By default it reports {@code rows} training rows, trains to a delta of all {@link #defaultDelta}, and
 * evaluates {@code evalN} rows with {@code evalCorrect} correct.
 */
final class FakeSite {
    /** What to do with one task; return false to stop polling (the site disappears). */
    @FunctionalInterface
    interface Act {
        boolean perform(FakeSite site, TaskInstruction task);
    }

    final Federation fed;
    final String id;
    final int rows;
    volatile float defaultDelta = 1f;
    volatile float[] deltaVector;
    volatile int evalN = 10, evalCorrect = 5;
    final Map<String, Act> script = new ConcurrentHashMap<>();
    /** Outcome of each submit, keyed "KIND round" (e.g. "TRAIN 1"); several per key when a site sends twice. */
    final Map<String, List<ReplyOutcome>> outcomes = new ConcurrentHashMap<>();
    final List<Throwable> decodeErrors = new CopyOnWriteArrayList<>();
    final List<TaskInstruction> received = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private Thread thread;

    /** This site's secure-aggregation session for the current round (when the run masks updates). */
    volatile org.fedehr.protocol.secagg.SecAggSite secagg;
    /** The encoded (unmasked) vector this site would have sent in each round, for checks that the coordinator never sees it. */
    final Map<Integer, int[]> plainEncoded = new ConcurrentHashMap<>();

    FakeSite(Federation fed, String id, int rows) {
        this.fed = fed;
        this.id = id;
        this.rows = rows;
        try {
            var g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            fed.signingKeys.put(id, g.generateKeyPair());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    FakeSite on(TaskKind kind, int round, Act act) {
        script.put(kind + " " + round, act);
        return this;
    }

    FakeSite onTrain(int round, Act act) {
        return on(TaskKind.TRAIN, round, act);
    }

    FakeSite delta(float d) {
        defaultDelta = d;
        return this;
    }

    FakeSite delta(float... v) {
        deltaVector = v.clone();
        return this;
    }

    FakeSite eval(int n, int correct) {
        evalN = n;
        evalCorrect = correct;
        return this;
    }

    /** Registers and starts polling on a daemon thread. */
    FakeSite start() {
        fed.run.register(id, 1000);
        thread = new Thread(this::loop, "site-" + id);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    void stop() {
        stopped = true;
        if (thread != null) thread.interrupt();
    }

    private void loop() {
        long after = 0;
        try {
            while (!stopped) {
                CompletableFuture<TaskInstruction> f = fed.run.nextTask(id, after);
                TaskInstruction t = null;
                while (!stopped && t == null) {
                    try {
                        t = f.get(100, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        // keep waiting on the same poll
                    }
                }
                if (t == null) return;
                after = t.taskSeq();
                received.add(t);
                if (t.kind() == TaskKind.FINISHED) return;
                Act a = script.getOrDefault(t.kind() + " " + t.round(), FakeSite::defaultAct);
                if (!a.perform(this, t)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            decodeErrors.add(e);
        }
    }

    static boolean defaultAct(FakeSite s, TaskInstruction t) {
        switch (t.kind()) {
            case STATISTICS -> s.send(new ReplyEnvelope(SiteReply.to(t, s.id).statistics(stats(s.rows)), null));
            case SECAGG_KEYS -> {
                s.secagg = new org.fedehr.protocol.secagg.SecAggSite(t.runId(), t.round(), s.id, t.secagg().config(),
                        s.fed.signingKeys.get(s.id).getPrivate(), "test-certificate:" + s.id, s.fed.verifier, new java.security.SecureRandom());
                s.send(new ReplyEnvelope(SiteReply.to(t, s.id).secagg(org.fedehr.protocol.msg.SecAggReply.advert(s.secagg.advertise())), null));
            }
            case SECAGG_SHARES -> s.send(new ReplyEnvelope(SiteReply.to(t, s.id).secagg(
                    org.fedehr.protocol.msg.SecAggReply.shares(s.secagg.shareKeys(t.secagg().roster()))), null));
            case SECAGG_UNMASK -> s.send(new ReplyEnvelope(SiteReply.to(t, s.id).secagg(
                    org.fedehr.protocol.msg.SecAggReply.reveals(s.secagg.unmask(t.secagg().survivors()))), null));
            case TRAIN -> {
                if (t.secagg() != null) s.send(s.masked(t, s.deltaVector != null ? s.deltaVector.clone()
                        : Federation.filled(t.paramCount(), s.defaultDelta), s.rows));
                else if (s.rows == 0) s.send(new ReplyEnvelope(SiteReply.to(t, s.id).noData("no training rows"), null));
                else s.send(s.update(t, s.deltaVector != null ? s.deltaVector.clone()
                        : Federation.filled(t.paramCount(), s.defaultDelta), s.rows));
            }
            case EVALUATE -> s.send(new ReplyEnvelope(SiteReply.to(t, s.id).evaluated(
                    new EvalMetrics(s.evalN, s.evalCorrect, s.evalN == 0 ? null : 0.5, null)), null));
            default -> throw new IllegalStateException("unexpected " + t);
        }
        return true;
    }

    static FeatureStatistics stats(long rows) {
        return new FeatureStatistics(rows, new TreeMap<>(), new TreeMap<>());
    }

    // ------------------------------------------------------------ reply builders

    ReplyEnvelope update(TaskInstruction t, float[] delta, int n) {
        return new ReplyEnvelope(SiteReply.to(t, id).trained(new TrainSummary(n, 0.1, 1)),
                new ParamFrame(ParamFrame.Kind.UPDATE, t.runId(), t.round(), n, t.modelDigest(), delta));
    }

    /** A masked update (secure aggregation): clipped, encoded, weighted by {@code n} and masked by this round's session. */
    ReplyEnvelope masked(TaskInstruction t, float[] delta, int n) {
        var sa = secagg;
        sa.receiveShares(t.secagg().sharers(), t.secagg().inbox());
        int[] zeroMask = new int[delta.length + 1];
        plainEncoded.put(t.round(), sa.mask(delta, n, zeroMask).values());
        var m = sa.mask(delta, n, sa.expandMask(delta.length + 1));
        return ReplyEnvelope.masked(SiteReply.to(t, id).trained(new TrainSummary(n, 0.1, 1, m.clippedValues())),
                new org.fedehr.protocol.codec.MaskedFrame(t.runId(), t.round(), t.modelDigest(), m.values()));
    }

    /** Encodes and submits the bytes as the HTTP layer does (decoding happens in {@link FederationRun#submit(String, byte[])}). */
    ReplyOutcome send(ReplyEnvelope env) {
        return sendBytes(env.reply().kind() + " " + env.reply().round(), env.encode());
    }

    /** Submits raw bytes; a reply the strict decoder refuses is also noted in {@link #decodeErrors}. */
    ReplyOutcome sendBytes(String key, byte[] bytes) {
        try {
            ReplyEnvelope.decode(bytes);
        } catch (RuntimeException e) {
            decodeErrors.add(e);
        }
        ReplyOutcome o = fed.run.submit(id, bytes);
        outcomes.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(o);
        return o;
    }

    ReplyOutcome outcome(TaskKind kind, int round) {
        List<ReplyOutcome> l = outcomes.get(kind + " " + round);
        return l == null ? null : l.get(0);
    }

    // ------------------------------------------------------------ scripted behaviours

    static Act train(float[] delta, int n) {
        return (s, t) -> {
            s.send(s.update(t, delta, n));
            return true;
        };
    }

    static Act fail(Throwable ex) {
        return (s, t) -> {
            s.send(new ReplyEnvelope(SiteReply.to(t, s.id).failed(ex), null));
            return true;
        };
    }

    static Act noData() {
        return (s, t) -> {
            s.send(new ReplyEnvelope(SiteReply.to(t, s.id).noData("no rows"), null));
            return true;
        };
    }

    /** Receives the task and never answers it, but keeps polling. */
    static Act silent() {
        return (s, t) -> true;
    }

    /** Receives the task, then the connection is gone: never answers, stops polling. */
    static Act disappear() {
        return (s, t) -> false;
    }

    static Act envelope(Function<TaskInstruction, ReplyEnvelope> f) {
        return (s, t) -> {
            s.send(f.apply(t));
            return true;
        };
    }

    /** Sends the given bytes (built from the task) as the reply body. */
    static Act bytes(Function<TaskInstruction, byte[]> f) {
        return (s, t) -> {
            s.sendBytes(t.kind() + " " + t.round(), f.apply(t));
            return true;
        };
    }

    static Act all(Act... acts) {
        return (s, t) -> {
            boolean go = true;
            for (Act a : acts) go &= a.perform(s, t);
            return go;
        };
    }

    // ------------------------------------------------------------ byte-level tampering

    static int frameOffset(byte[] envelope) {
        return 8 + ByteBuffer.wrap(envelope, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** The envelope with its update frame's dtype byte set to float64. */
    static byte[] asFloat64(byte[] envelope) {
        byte[] b = envelope.clone();
        b[frameOffset(b) + 5] = 2;
        return b;
    }

    /** The envelope with its JSON rewritten. */
    static byte[] withJson(byte[] envelope, UnaryOperator<String> edit) {
        int off = frameOffset(envelope);
        String json = new String(envelope, 8, off - 8, StandardCharsets.UTF_8);
        byte[] j = edit.apply(json).getBytes(StandardCharsets.UTF_8);
        byte[] frame = Arrays.copyOfRange(envelope, off, envelope.length);
        return ByteBuffer.allocate(8 + j.length + frame.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(envelope, 0, 4).putInt(j.length).put(j).put(frame).array();
    }
}
