package org.fedehr.simulations.inprocess;

import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.ReplyOutcome;
import org.fedehr.protocol.codec.ParamCodec;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ErrorBody;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.RegisterRequest;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.CoordinatorLink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A site's link to a coordinator in the same JVM: calls {@link FederationRun} directly, as the HTTPS adapter
 * ({@code CoordinatorServer}) does, with every message passing through its wire encoding (instructions and statistics
 * as JSON, models as ParamCodec frames, replies as encoded {@link ReplyEnvelope}s). So the coordinator validates the
 * same bytes, both sides count the same body sizes as over HTTPS, and audit ledgers hash the same payloads; only TLS,
 * HTTP headers and the socket are missing. One link per site; thread-safe.
 */
public final class InProcessCoordinatorLink implements CoordinatorLink {
    private final FederationRun run;
    private final String siteId;
    private final long pollTimeoutMs;
    private final java.util.concurrent.ConcurrentMap<FeatureStatistics, FeatureStatistics> statisticsCopies;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param siteId        the site this link speaks for (what a certificate's CN is over HTTPS)
     * @param pollTimeoutMs how long {@link #nextTask} waits before it returns empty, like a long-poll
     */
    public InProcessCoordinatorLink(FederationRun run, String siteId, long pollTimeoutMs) {
        this(run, siteId, pollTimeoutMs, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** @param statisticsCopies shared between the links of one federation: equal downloaded statistics are kept once */
    public InProcessCoordinatorLink(FederationRun run, String siteId, long pollTimeoutMs,
                                    java.util.concurrent.ConcurrentMap<FeatureStatistics, FeatureStatistics> statisticsCopies) {
        if (statisticsCopies == null) throw new IllegalArgumentException("statisticsCopies must not be null");
        this.statisticsCopies = statisticsCopies;
        if (run == null) throw new IllegalArgumentException("run must not be null");
        if (siteId == null || siteId.isBlank()) throw new IllegalArgumentException("siteId must not be blank, was " + siteId);
        if (pollTimeoutMs <= 0) throw new IllegalArgumentException("pollTimeoutMs must be > 0, was " + pollTimeoutMs);
        this.run = run;
        this.siteId = siteId;
        this.pollTimeoutMs = pollTimeoutMs;
    }

    @Override
    public RegisterResponse register(String id) throws LinkException {
        sent.addAndGet(Json.bytes(new RegisterRequest(id, 1)).length);
        if (!siteId.equals(id)) throw refused(403, "wrong_site", "link is for site " + siteId + ", request claims " + id);
        RegisterResponse r = run.register(id, pollTimeoutMs);
        byte[] body = Json.bytes(r);
        received.addAndGet(body.length);
        return Json.parse(body, RegisterResponse.class);
    }

    @Override
    public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
        CompletableFuture<TaskInstruction> f = run.nextTask(siteId, afterSeq);
        try {
            return Optional.of(receive(f.get(pollTimeoutMs, TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            f.cancel(false);
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new LinkException("poll for next task failed: " + e.getCause(), 0, e.getCause());
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new LinkException("poll for next task interrupted", 0, e);
        }
    }

    /**
     * An instruction as the site receives it: encoded as the coordinator sends it, counted on both sides, and decoded.
     * For drivers that take instructions from {@link FederationRun#nextTask} themselves instead of blocking in
     * {@link #nextTask}.
     */
    public TaskInstruction receive(TaskInstruction published) {
        byte[] body = Json.bytes(published);
        run.countDown(body.length);
        received.addAndGet(body.length);
        return Json.parse(body, TaskInstruction.class);
    }

    @Override
    public ParamFrame model(int version) throws LinkException {
        byte[] frame = run.modelFrame(version);
        if (frame == null) {
            int current = run.globalVersion();
            throw refused(version < current ? 410 : 404, "no_such_model",
                    "download model version " + version + ": model version " + version + " is not available; current version is " + current);
        }
        run.countDown(frame.length);
        received.addAndGet(frame.length);
        return ParamCodec.decode(frame);
    }

    /**
     * The federated statistics. A site downloads them once per run, as a site node in network mode does (it fits its
     * harmonisation once and keeps it): a node rebuilt for a later instruction gets the copy this link already holds
     * without a second download. Equal copies are shared between the links of a federation, so they cost memory once.
     */
    @Override
    public FeatureStatistics statistics() throws LinkException {
        FeatureStatistics s = run.globalStatistics();
        if (s == null) throw refused(404, "not_ready", "download federated statistics: federated statistics are not available yet");
        synchronized (this) {
            if (downloadedFrom == s) return downloaded;
        }
        byte[] body = Json.bytes(s);
        run.countDown(body.length);
        received.addAndGet(body.length);
        FeatureStatistics decoded = Json.parse(body, FeatureStatistics.class);
        FeatureStatistics shared = statisticsCopies.putIfAbsent(decoded, decoded);
        if (shared != null) decoded = shared;
        synchronized (this) {
            downloaded = decoded;
            downloadedFrom = s;
        }
        return decoded;
    }

    private FeatureStatistics downloaded, downloadedFrom;

    @Override
    public Ack reply(ReplyEnvelope envelope) {
        byte[] body = envelope.encode();
        sent.addAndGet(body.length);
        ReplyOutcome o = run.submit(siteId, body);
        Object answer = o.ok() ? Map.of("code", o.code(), "message", o.message()) : new ErrorBody(o.httpStatus(), o.code(), o.message());
        received.addAndGet(Json.bytes(answer).length);
        return new Ack(o.httpStatus(), o.code(), o.message());
    }

    private LinkException refused(int status, String code, String message) {
        byte[] body = Json.bytes(new ErrorBody(status, code, message));
        received.addAndGet(body.length);
        return new LinkException(message, status, null);
    }

    @Override
    public long bytesSent() {
        return sent.get();
    }

    @Override
    public long bytesReceived() {
        return received.get();
    }

    @Override
    public String address() {
        return "the in-process coordinator";
    }
}
