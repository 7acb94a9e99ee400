package org.fedehr.coordinator.http;

import io.vertx.core.Vertx;
import org.fedehr.coordinator.CoordinatorServer;
import org.fedehr.coordinator.FedAvg;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.InitialModel;
import org.fedehr.coordinator.RoundPolicy;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.coordinator.ServerSettings;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link CoordinatorServer} (HTTPS, mutual TLS 1.3 with the tests' federation CA, port 0) over a
 * {@link FederationRun} driven on a background thread, with helpers that act as sites over the wire, each with its
 * own client certificate. The model has {@code paramCount} zeros.
 */
final class HttpRun implements AutoCloseable {
    static final TrainingPlan PLAN = new TrainingPlan(1, 0, 32, "sgd", 0.1);

    final UUID runId = UUID.randomUUID();
    final int paramCount;
    final String specJson;
    final String digest;
    final FederationRun run;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<RoundRecord> rounds = new CopyOnWriteArrayList<>();
    final Vertx vertx = Vertx.vertx();
    final CoordinatorServer server;
    /** Wire access as site "A" (its certificate). */
    final Wire wire;
    final int port;
    private final java.util.Map<String, Wire> wires = new java.util.concurrent.ConcurrentHashMap<>();
    private FutureTask<RunResult> task;

    final TestPki pki;

    HttpRun(RoundPolicy policy, int paramCount, long maxReplyBytes, long pollTimeoutMs, Duration idleTimeout) throws Exception {
        this(policy, paramCount, maxReplyBytes, pollTimeoutMs, idleTimeout, TestPki.DEFAULT);
    }

    HttpRun(RoundPolicy policy, int paramCount, long maxReplyBytes, long pollTimeoutMs, Duration idleTimeout, TestPki pki) throws Exception {
        this.pki = pki;
        this.paramCount = paramCount;
        this.specJson = "{\"test_model\":true,\"params\":" + paramCount + "}";
        this.digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(specJson.getBytes(StandardCharsets.UTF_8)));
        this.run = new FederationRun(new RunSettings(runId, policy, new FedAvg(), PLAN, 7L, false),
                stats -> new InitialModel(specJson, digest, new float[paramCount]), new RunListener() {
            @Override
            public void roundCompleted(RoundRecord record) {
                rounds.add(record);
            }

            @Override
            public void event(String message) {
                events.add(message);
            }
        }, Clock.systemUTC());
        this.server = new CoordinatorServer(vertx, run, new ServerSettings("127.0.0.1", 0, pki.server.certificatePem(),
                pki.server.privateKeyPem(), pki.trust, maxReplyBytes, pollTimeoutMs, idleTimeout));
        this.port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        this.wire = wire("A");
    }

    /** Wire access presenting {@code site}'s certificate from the tests' CA. */
    Wire wire(String site) {
        return wires.computeIfAbsent(site, s -> new Wire(pki.ca.certificatePem(), pki.identity(s), port));
    }

    static RoundPolicy policy(int sites, int quorum, long deadlineMs, long graceMs) {
        return new RoundPolicy(1, sites, quorum, Duration.ofMillis(deadlineMs), Duration.ofMillis(graceMs), Duration.ofSeconds(10));
    }

    HttpRun start() {
        task = new FutureTask<>(run::run);
        Thread t = new Thread(task, "federation-run");
        t.setDaemon(true);
        t.start();
        return this;
    }

    RunResult await() throws Exception {
        return task.get(20, TimeUnit.SECONDS);
    }

    /** One site speaking HTTP to the coordinator. */
    final class Site {
        final String id;
        final String token;
        long after;

        Site(String id) throws Exception {
            this.id = id;
            HttpResponse<String> r = wire(id).post("/v1/register",
                    ("{\"site_id\":\"" + id + "\",\"protocol_version\":1}").getBytes(StandardCharsets.UTF_8), null, null);
            if (r.statusCode() != 200) throw new AssertionError("register " + id + ": " + r.statusCode() + " " + r.body());
            this.token = Json.parse(r.body().getBytes(StandardCharsets.UTF_8), RegisterResponse.class).token();
        }

        /** Polls until a task arrives (bounded). */
        TaskInstruction next() throws Exception {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < until) {
                HttpResponse<String> r = wire(id).get("/v1/tasks/next?after=" + after, id, token);
                if (r.statusCode() == 204) continue;
                if (r.statusCode() != 200) throw new AssertionError("poll " + id + ": " + r.statusCode() + " " + r.body());
                TaskInstruction t = Json.parse(r.body().getBytes(StandardCharsets.UTF_8), TaskInstruction.class);
                after = t.taskSeq();
                return t;
            }
            throw new AssertionError("no task for " + id + " within 15 s; events " + events);
        }

        HttpResponse<String> reply(byte[] body) throws Exception {
            return wire(id).post("/v1/reply", body, id, token);
        }

        /**
         * As {@link #reply}, resending once when the transport fails (e.g. the client reused a pooled connection the
         * server had just closed for idleness), as SiteNode does; the coordinator answers a resent copy "duplicate".
         */
        HttpResponse<String> replyResending(byte[] body) throws Exception {
            try {
                return reply(body);
            } catch (java.io.IOException e) {
                return reply(body);
            }
        }

        byte[] statistics(TaskInstruction t, long rows) {
            return new ReplyEnvelope(SiteReply.to(t, id).statistics(new FeatureStatistics(rows, new TreeMap<>(), new TreeMap<>())), null).encode();
        }

        byte[] update(TaskInstruction t, int length, float value, int n) {
            float[] v = new float[length];
            java.util.Arrays.fill(v, value);
            return new ReplyEnvelope(SiteReply.to(t, id).trained(new TrainSummary(n, 0.1, 1)),
                    new ParamFrame(ParamFrame.Kind.UPDATE, t.runId(), t.round(), n, t.modelDigest(), v)).encode();
        }

        byte[] evaluation(TaskInstruction t) {
            return new ReplyEnvelope(SiteReply.to(t, id).evaluated(new EvalMetrics(10, 5, 0.5, null)), null).encode();
        }
    }

    @Override
    public void close() {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
        vertx.close();
    }
}
