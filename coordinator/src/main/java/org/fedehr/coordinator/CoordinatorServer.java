package org.fedehr.coordinator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.fedehr.protocol.codec.FrameFormatException;
import org.fedehr.protocol.msg.ErrorBody;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.MessageFormatException;
import org.fedehr.protocol.msg.RegisterRequest;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.FederationTrustManager;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's HTTPS API (TLS 1.3 only), a thin adapter over {@link FederationRun}. Sites make outbound
 * requests only:
 * <pre>
 * POST /v1/register              JSON RegisterRequest            -> RegisterResponse (bearer token)
 * GET  /v1/tasks/next?after=N    long-poll                       -> TaskInstruction | 204 after the poll timeout
 * GET  /v1/model/{version}       binary ParamCodec frame         -> 404/410 when not the current version
 * GET  /v1/statistics            JSON FeatureStatistics (merged) -> 404 before the statistics phase closed
 * POST /v1/reply                 binary ReplyEnvelope            -> {code,message}; 413 over the body limit
 * GET  /v1/status                JSON run status
 * </pre>
 * Mutual TLS: every client must present a site certificate issued by the federation CA (checked in the handshake
 * by {@link FederationTrust}'s trust manager, and again on every request, so a certificate revoked since the
 * handshake is refused with 403). A site is identified only by its certificate's CN: a RegisterRequest for another
 * id is refused (403), and every authenticated call's {@code X-Fedehr-Site} must equal the CN. The bearer token
 * from registration is kept as a session token in addition ({@code Authorization: Bearer <token>}): it ties polls
 * and replies to the site's latest registration. Every refusal is reported through
 * {@link FederationRun#accessRefused} (which certificate or site, and why). Every handler ends its response or
 * fails with a status and an {@link ErrorBody} naming the problem.
 */
public final class CoordinatorServer {
    private final Vertx vertx;
    private final FederationRun run;
    private final ServerSettings settings;
    private HttpServer server;

    public CoordinatorServer(Vertx vertx, FederationRun run, ServerSettings settings) {
        this.vertx = vertx;
        this.run = run;
        this.settings = settings;
    }

    /** Starts listening; the future completes with the bound port. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.route().handler(this::requireSiteCertificate);
        router.post("/v1/register").handler(this::register);
        router.get("/v1/tasks/next").handler(this::nextTask);
        router.get("/v1/model/:version").handler(this::model);
        router.get("/v1/statistics").handler(this::statistics);
        router.post("/v1/reply").handler(this::reply);
        router.get("/v1/status").handler(this::status);
        router.errorHandler(404, ctx -> error(ctx.response(), 404, "not_found", "no such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx.response(), 405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.route().failureHandler(ctx -> {
            if (!ctx.response().ended()) {
                Throwable f = ctx.failure();
                error(ctx.response(), ctx.statusCode() > 0 ? ctx.statusCode() : 500, "internal",
                        f == null ? "request failed" : f.getClass().getSimpleName() + ": " + f.getMessage());
            }
        });
        HttpServerOptions opts = new HttpServerOptions()
                .setHost(settings.host()).setPort(settings.port())
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(settings.certificatePem()))
                        .setKeyValue(Buffer.buffer(settings.privateKeyPem())))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(TrustOptions.wrap(settings.trust().trustManager(run::accessRefused)))
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        server = vertx.createHttpServer(opts).requestHandler(router).exceptionHandler(this::connectionFailed);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    // ------------------------------------------------------------------ handlers

    /**
     * Transport failures before any request: a handshake without a client certificate, a plain-HTTP client, a TLS
     * version other than 1.3. A certificate the trust manager refused was already reported by it.
     */
    private void connectionFailed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof FederationTrustManager.RefusedCertificateException) return;
        String why = null;
        for (Throwable c = t; c != null && why == null; c = c.getCause()) {
            String cls = c.getClass().getSimpleName();
            String msg = c.getMessage() == null ? "" : c.getMessage();
            if (cls.equals("NotSslRecordException"))
                why = "not TLS (a plain-HTTP client? the coordinator speaks HTTPS with mutual TLS 1.3 only)";
            else if (msg.contains("Empty client certificate chain") || msg.contains("certificate_required")
                    || msg.contains("peer not authenticated"))
                why = "no client certificate (sites must present the certificate the federation CA issued them)";
            else if (msg.contains("Received fatal alert: certificate_unknown") || msg.contains("Received fatal alert: bad_certificate")
                    || msg.contains("Received fatal alert: unknown_ca"))
                why = "the client does not trust the coordinator's certificate (" + msg.substring(msg.indexOf("alert: ") + 7)
                        + "): sites must trust this federation's ca.crt and connect by a name the certificate lists";
            else if (msg.contains("protocol_version") || msg.contains("No appropriate protocol") || msg.contains("protocol is disabled"))
                why = "TLS version not accepted (TLS 1.3 only)";
        }
        if (why == null) {
            boolean tls = false;
            for (Throwable c = t; c != null; c = c.getCause()) tls |= c instanceof SSLException;
            if (!tls) return;   // an ordinary dropped connection is not a refusal
            why = "TLS handshake failed: " + t.getMessage();
        }
        run.accessRefused("refused TLS client: " + why);
    }

    /** Key under which {@link #requireSiteCertificate} stores the certificate's site id for the handlers. */
    private static final String CERT_SITE = "fedehr.certificateSite";

    /**
     * Re-validates the client certificate on every request (it may have been revoked, or expired, since the
     * handshake) and remembers its site id (CN) for the handlers; refuses with 403 naming why.
     */
    private void requireSiteCertificate(RoutingContext ctx) {
        X509Certificate cert = null;
        try {
            List<Certificate> chain = ctx.request().connection().peerCertificates();
            if (chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate x) cert = x;
        } catch (SSLPeerUnverifiedException e) {
            cert = null;
        }
        try {
            String site = settings.trust().validateSite(cert, null);
            ctx.put(CERT_SITE, site);
            ctx.next();
        } catch (CertificateException e) {
            run.accessRefused(ctx.request().method() + " " + ctx.request().path() + ": " + e.getMessage());
            // a certificate that passed the handshake and fails now was revoked or expired meanwhile: that site is out
            if (cert != null) run.certificateRefused(org.fedehr.protocol.pki.FederationTrust.commonName(cert), e.getMessage());
            ctx.request().resume();
            error(ctx.response().putHeader("Connection", "close"), 403, "certificate_refused", e.getMessage());
        }
    }

    /** The site the client certificate names (set by {@link #requireSiteCertificate}). */
    private static String certificateSite(RoutingContext ctx) {
        return ctx.get(CERT_SITE);
    }

    private void register(RoutingContext ctx) {
        readBody(ctx, 64 * 1024, (size, limit) -> { }, body -> {
            RegisterRequest req = Json.parse(body.getBytes(), RegisterRequest.class);
            String certSite = certificateSite(ctx);
            if (!certSite.equals(req.siteId())) {
                String why = "certificate is for site " + certSite + ", request claims " + req.siteId();
                run.accessRefused("POST /v1/register: " + why);
                error(ctx.response(), 403, "wrong_site", why);
                return;
            }
            RegisterResponse resp = run.register(req.siteId(), settings.pollTimeoutMs());
            json(ctx.response(), 200, resp);
        });
    }

    private void nextTask(RoutingContext ctx) {
        String site = authenticated(ctx);
        if (site == null) return;
        long after;
        try {
            after = Long.parseLong(ctx.request().getParam("after", "0"));
        } catch (NumberFormatException e) {
            error(ctx.response(), 400, "bad_parameter", "query parameter 'after' must be an integer");
            return;
        }
        CompletableFuture<TaskInstruction> f = run.nextTask(site, after);
        HttpServerResponse resp = ctx.response();
        long timer = vertx.setTimer(settings.pollTimeoutMs(), id -> {
            if (f.cancel(false) && !resp.ended() && !resp.closed()) resp.setStatusCode(204).end();
        });
        resp.closeHandler(v -> f.cancel(false));
        f.whenComplete((task, err) -> {
            if (err != null) return; // cancelled by timer or closed connection
            vertx.cancelTimer(timer);
            ctx.vertx().runOnContext(v -> {
                if (resp.ended() || resp.closed()) return;
                byte[] body = Json.bytes(task);
                run.countDown(body.length);
                resp.setStatusCode(200).putHeader("content-type", "application/json").end(Buffer.buffer(body));
            });
        });
    }

    private void model(RoutingContext ctx) {
        if (authenticated(ctx) == null) return;
        int version;
        try {
            version = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            error(ctx.response(), 400, "bad_parameter", "model version must be an integer");
            return;
        }
        byte[] frame = run.modelFrame(version);
        if (frame == null) {
            int current = run.globalVersion();
            error(ctx.response(), version < current ? 410 : 404, "no_such_model",
                    "model version " + version + " is not available; current version is " + current);
            return;
        }
        run.countDown(frame.length);
        ctx.response().putHeader("content-type", "application/octet-stream").end(Buffer.buffer(frame));
    }

    private void statistics(RoutingContext ctx) {
        if (authenticated(ctx) == null) return;
        var s = run.globalStatistics();
        if (s == null) {
            error(ctx.response(), 404, "not_ready", "federated statistics are not available yet");
            return;
        }
        byte[] body = Json.bytes(s);
        run.countDown(body.length);
        ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(body));
    }

    private void reply(RoutingContext ctx) {
        String site = authenticated(ctx);
        if (site == null) return;
        readBody(ctx, settings.maxReplyBytes(), (size, limit) -> run.refusedInTransport(site, "too large",
                "reply body of " + size + " bytes exceeds the limit of " + limit + " bytes"), body -> {
            byte[] bytes = body.getBytes();
            // decoding (checksum over the whole update) and validation are CPU work proportional to the update: keep
            // them off the event loop. A reply the strict decoder refuses comes back as 400 and is recorded against
            // the site's round when its address can be read (case C09).
            vertx.executeBlocking(() -> run.submit(site, bytes), false).onComplete(ar -> {
                if (ar.failed()) {
                    error(ctx.response(), 500, "internal", ar.cause().toString());
                    return;
                }
                ReplyOutcome o = ar.result();
                json(ctx.response(), o.httpStatus(), o.ok() ? Map.of("code", o.code(), "message", o.message())
                        : new ErrorBody(o.httpStatus(), o.code(), o.message()));
            });
        });
    }

    private void status(RoutingContext ctx) {
        json(ctx.response(), 200, Map.of("run_id", run.settings().runId().toString(),
                "strategy", run.settings().strategy().name(),
                "sites", run.registeredSites(),
                "global_version", run.globalVersion()));
    }

    // ------------------------------------------------------------------ plumbing

    private String authenticated(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String site = req.getHeader("X-Fedehr-Site");
        String auth = req.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        String certSite = certificateSite(ctx);
        if (site != null && !site.equals(certSite)) {
            String why = "certificate is for site " + certSite + ", request claims " + site + " (X-Fedehr-Site)";
            run.accessRefused(req.method() + " " + req.path() + ": " + why);
            error(ctx.response(), 403, "wrong_site", why);
            return null;
        }
        if (site == null || !run.authenticate(site, token)) {
            error(ctx.response(), 401, "unauthenticated", "missing or invalid site credentials (X-Fedehr-Site + bearer token)");
            return null;
        }
        return site;
    }

    @FunctionalInterface
    private interface BodyConsumer {
        void accept(Buffer body);
    }

    @FunctionalInterface
    private interface TooLargeListener {
        void refused(long size, long limit);
    }

    /**
     * Reads a request body up to {@code limit} bytes. An announced Content-Length over the limit is refused with
     * 413 before a byte of the body is read; a body that grows past the limit is cut off with 413. Malformed
     * messages get 400 naming the problem.
     */
    private void readBody(RoutingContext ctx, long limit, TooLargeListener onTooLarge, BodyConsumer consumer) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse resp = ctx.response();
        String len = req.getHeader("Content-Length");
        if (len != null) {
            long n;
            try {
                n = Long.parseLong(len.trim());
            } catch (NumberFormatException e) {
                error(resp, 400, "bad_length", "Content-Length is not a number");
                return;
            }
            if (n > limit) {
                onTooLarge.refused(n, limit);
                tooLarge(req, resp, "body of " + n + " bytes", limit);
                return;
            }
        }
        Buffer acc = Buffer.buffer();
        boolean[] aborted = {false};
        req.handler(chunk -> {
            if (aborted[0]) return;
            acc.appendBuffer(chunk);
            if (acc.length() > limit) {
                aborted[0] = true;
                onTooLarge.refused(acc.length(), limit);
                tooLarge(req, resp, "body of more than " + limit + " bytes (cut off at " + acc.length() + ")", limit);
            }
        });
        req.exceptionHandler(err -> aborted[0] = true);
        req.endHandler(v -> {
            if (aborted[0] || resp.ended()) return;
            try {
                consumer.accept(acc);
            } catch (MessageFormatException | FrameFormatException | IllegalArgumentException e) {
                error(resp, 400, "bad_message", e.getMessage());
            } catch (RuntimeException e) { // never leave the response open: the router's failure handler is not in this path
                error(resp, 500, "internal", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
        req.resume();
    }

    /** How long, and how many bytes, the server keeps reading (and discarding) a refused body before it closes. */
    static final long DRAIN_MS = 1_000;
    static final long DRAIN_MAX_BYTES = 4L * 1024 * 1024;

    /**
     * Answers 413 and closes the connection. Before closing, what the client is still sending is read and
     * discarded for a bounded time and amount, so that a client in the middle of its upload reads the 413 instead
     * of a connection reset (a body is never accepted after a 413).
     */
    private void tooLarge(HttpServerRequest req, HttpServerResponse resp, String what, long limit) {
        resp.putHeader("Connection", "close");
        long[] drained = {0};
        boolean[] closed = {false};
        Runnable close = () -> {
            if (closed[0]) return;
            closed[0] = true;
            req.connection().close();
        };
        long timer = vertx.setTimer(DRAIN_MS, id -> close.run());
        req.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_MAX_BYTES) close.run();
        });
        req.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (resp.ended()) close.run();
            else resp.endHandler(e -> close.run());
        });
        req.exceptionHandler(err -> close.run());
        error(resp, 413, "too_large", what + " exceeds the limit of " + limit
                + " bytes; reduce the model size or raise server.max_reply_bytes at the coordinator");
        req.resume();
    }

    private static void json(HttpServerResponse resp, int status, Object body) {
        if (resp.ended() || resp.closed()) return;
        resp.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(Json.bytes(body)));
    }

    private static void error(HttpServerResponse resp, int status, String code, String message) {
        json(resp, status, new ErrorBody(status, code, message));
    }
}
