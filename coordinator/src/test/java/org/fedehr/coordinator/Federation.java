package org.fedehr.coordinator;

import org.fedehr.protocol.msg.TrainingPlan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Test harness: a {@link FederationRun} driven on a background thread with an initial model of {@code p} values
 * all equal to {@link #G0}, a listener that records rounds, events and every global model, and fake sites.
 */
final class Federation implements AutoCloseable {
    static final float G0 = 10f;
    static final TrainingPlan PLAN = new TrainingPlan(1, 0, 32, "sgd", 0.1);

    final UUID runId = UUID.randomUUID();
    final int paramCount;
    final String specJson;
    final String digest;
    final FederationRun run;
    final List<RoundRecord> rounds = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The global model (decoded from the frame sites would download) after each round. */
    final List<float[]> globals = new CopyOnWriteArrayList<>();
    final Map<String, FakeSite> sites = new ConcurrentHashMap<>();
    final List<FakeSite> allSites = new CopyOnWriteArrayList<>();
    /** Hook called on the run thread after each round's record, before the next round opens. */
    volatile Consumer<RoundRecord> afterRound = r -> { };
    private FutureTask<RunResult> task;
    private Thread thread;

    Federation(RoundPolicy policy, int paramCount) {
        this(policy, paramCount, new FedAvg());
    }

    Federation(RoundPolicy policy, int paramCount, Strategy strategy) {
        this(policy, paramCount, strategy, null);
    }

    /** Signing keys of the fake sites (secure aggregation), and the verifier every site checks its peers with. */
    final Map<String, java.security.KeyPair> signingKeys = new ConcurrentHashMap<>();
    final org.fedehr.protocol.secagg.PeerVerifier verifier = (site, pem) -> {
        java.security.KeyPair kp = signingKeys.get(site);
        if (kp == null || !pem.equals("test-certificate:" + site))
            throw new java.security.cert.CertificateException("unknown certificate for site " + site);
        return kp.getPublic();
    };

    /** A federation whose sites mask their updates ({@code secure} non-null). */
    Federation(RoundPolicy policy, int paramCount, Strategy strategy, SecureAggregation secure) {
        this.paramCount = paramCount;
        this.specJson = "{\"test_model\":true,\"params\":" + paramCount + "}";
        this.digest = sha256(specJson);
        RunSettings rs = new RunSettings(runId, policy, strategy, PLAN, 7L, true, secure);
        float[] init = new float[paramCount];
        Arrays.fill(init, G0);
        this.run = new FederationRun(rs, stats -> new InitialModel(specJson, digest, init), new RunListener() {
            @Override
            public void roundCompleted(RoundRecord record) {
                rounds.add(record);
                globals.add(org.fedehr.protocol.codec.ParamCodec.decode(run.modelFrame(run.globalVersion())).values());
                afterRound.accept(record);
            }

            @Override
            public void event(String message) {
                events.add(message);
            }
        }, Clock.systemUTC());
    }

    /** Policy with short timings: deadline and grace in milliseconds. */
    static RoundPolicy policy(int rounds, int sites, int quorum, long deadlineMs, long graceMs) {
        return new RoundPolicy(rounds, sites, quorum, Duration.ofMillis(deadlineMs), Duration.ofMillis(graceMs), Duration.ofSeconds(2));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    FakeSite site(String id, int rows) {
        FakeSite s = new FakeSite(this, id, rows);
        sites.put(id, s);
        allSites.add(s);
        return s;
    }

    Federation start() {
        for (FakeSite s : allSites) s.start();
        task = new FutureTask<>(run::run);
        thread = new Thread(task, "federation-run");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    RunResult await() throws InterruptedException, ExecutionException {
        try {
            return task.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("run stalled; events: " + events);
        }
    }

    RoundRecord round(int r) {
        return rounds.stream().filter(x -> x.round() == r).findFirst().orElseThrow(() -> new AssertionError("no round " + r + " in " + rounds));
    }

    @Override
    public void close() {
        for (FakeSite s : allSites) s.stop();
        if (thread != null) thread.interrupt();
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    static List<Float> list(float[] a) {
        List<Float> l = new ArrayList<>();
        for (float f : a) l.add(f);
        return l;
    }
}
