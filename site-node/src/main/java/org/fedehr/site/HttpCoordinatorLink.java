package org.fedehr.site;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.fedehr.protocol.codec.ParamCodec;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ErrorBody;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.RegisterRequest;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.net.NetworkFailure;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The site's HTTPS client (Vert.x WebClient, mutual TLS 1.3): it presents the site's certificate and key, trusts
 * the federation CA (the coordinator's certificate must be issued by it) and checks the coordinator's host name.
 * Outbound only; blocking methods for the site's worker thread.
 */
public final class HttpCoordinatorLink implements CoordinatorLink {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final WebClient client;
    private final String host;
    private final int port;
    private final long requestTimeoutMs;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private String siteId;
    private String token;
    private long pollTimeoutMs = 25_000;

    /** As {@link #HttpCoordinatorLink(URI, String, String, String, Vertx, long)} with a site identity's PEMs. */
    public HttpCoordinatorLink(URI coordinator, String caCertificatePem, SiteIdentity identity, Vertx vertx, long requestTimeoutMs) {
        this(coordinator, caCertificatePem, identity.certificatePem(), identity.privateKeyPem(), vertx, requestTimeoutMs);
    }

    /**
     * @param coordinator        https://host:port of the coordinator
     * @param caCertificatePem   the federation CA certificate (PEM): the coordinator's certificate must be issued by it
     * @param siteCertificatePem this site's certificate (PEM), issued by the federation CA
     * @param sitePrivateKeyPem  this site's private key (PKCS#8 PEM)
     * @param vertx              a Vert.x instance to share, or null to create one owned by this link
     */
    public HttpCoordinatorLink(URI coordinator, String caCertificatePem, String siteCertificatePem, String sitePrivateKeyPem,
                               Vertx vertx, long requestTimeoutMs) {
        if (!"https".equals(coordinator.getScheme()))
            throw new IllegalArgumentException("coordinator URL must be https://, was " + coordinator);
        this.ownsVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.host = coordinator.getHost();
        this.port = coordinator.getPort() > 0 ? coordinator.getPort() : 443;
        this.requestTimeoutMs = requestTimeoutMs;
        WebClientOptions o = new WebClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caCertificatePem)))
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(siteCertificatePem))
                        .setKeyValue(Buffer.buffer(sitePrivateKeyPem)))
                .setVerifyHost(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setDefaultHost(host).setDefaultPort(port)
                .setKeepAlive(true)
                .setIdleTimeout(120)
                .setUserAgent("fedehr-site/1");
        this.client = WebClient.create(this.vertx, o);
    }

    @Override
    public RegisterResponse register(String siteId) throws LinkException {
        byte[] body = Json.bytes(new RegisterRequest(siteId, 1));
        HttpResponse<Buffer> r = send(HttpMethod.POST, "/v1/register", Buffer.buffer(body), false, requestTimeoutMs);
        expect(r, 200, "register");
        RegisterResponse resp = Json.parse(r.body().getBytes(), RegisterResponse.class);
        this.siteId = siteId;
        this.token = resp.token();
        this.pollTimeoutMs = resp.pollTimeoutMs();
        return resp;
    }

    @Override
    public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
        HttpResponse<Buffer> r = send(HttpMethod.GET, "/v1/tasks/next?after=" + afterSeq, null, true,
                pollTimeoutMs + requestTimeoutMs);
        if (r.statusCode() == 204) return Optional.empty();
        expect(r, 200, "poll for next task");
        return Optional.of(Json.parse(r.body().getBytes(), TaskInstruction.class));
    }

    @Override
    public ParamFrame model(int version) throws LinkException {
        HttpResponse<Buffer> r = send(HttpMethod.GET, "/v1/model/" + version, null, true, requestTimeoutMs);
        expect(r, 200, "download model version " + version);
        return ParamCodec.decode(r.body().getBytes());
    }

    @Override
    public FeatureStatistics statistics() throws LinkException {
        HttpResponse<Buffer> r = send(HttpMethod.GET, "/v1/statistics", null, true, requestTimeoutMs);
        expect(r, 200, "download federated statistics");
        return Json.parse(r.body().getBytes(), FeatureStatistics.class);
    }

    @Override
    public Ack reply(ReplyEnvelope envelope) throws LinkException {
        byte[] body = envelope.encode();
        HttpResponse<Buffer> r = send(HttpMethod.POST, "/v1/reply", Buffer.buffer(body), true, requestTimeoutMs);
        String code = null, message = null;
        try {
            var node = Json.mapper().readTree(r.body() == null ? new byte[0] : r.body().getBytes());
            code = node.path(r.statusCode() == 200 ? "code" : "error").asText(null);
            message = node.path("message").asText(null);
        } catch (Exception e) {
            message = r.bodyAsString();
        }
        return new Ack(r.statusCode(), code, message);
    }

    private HttpResponse<Buffer> send(HttpMethod m, String path, Buffer body, boolean auth, long timeoutMs) throws LinkException {
        var req = client.request(m, port, host, path).timeout(timeoutMs);
        if (auth) {
            if (token == null) throw new LinkException("not registered: call register() first", 0, null);
            req.putHeader("X-Fedehr-Site", siteId).putHeader("Authorization", "Bearer " + token);
        }
        Future<HttpResponse<Buffer>> f;
        if (body != null) {
            req.putHeader("content-type", "application/octet-stream");
            sent.addAndGet(body.length());
            f = req.sendBuffer(body);
        } else {
            f = req.send();
        }
        try {
            HttpResponse<Buffer> r = f.toCompletionStage().toCompletableFuture().get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
            if (r.body() != null) received.addAndGet(r.body().length());
            return r;
        } catch (ExecutionException e) {
            throw new LinkException(m + " " + path + " failed: " + describe(e.getCause()), 0, e.getCause());
        } catch (TimeoutException e) {
            throw new LinkException(m + " " + path + " timed out after " + timeoutMs + " ms", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException(m + " " + path + " interrupted", 0, e);
        }
    }

    /** The failure in words, never a Netty class name: {@code connection refused}. */
    static String describe(Throwable cause) {
        NetworkFailure f = NetworkFailure.of(cause);
        if (f == NetworkFailure.TLS) return f.phrase() + ": " + tlsReason(cause);
        if (f != NetworkFailure.OTHER || cause == null || cause.getMessage() == null) return f.phrase();
        return f.phrase() + ": " + cause.getMessage();
    }

    /** Which side refused the TLS handshake and what to check, from the messages along the cause chain. */
    static String tlsReason(Throwable cause) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) if (t.getMessage() != null) all.append(t.getMessage()).append(' ');
        String m = all.toString().toLowerCase(Locale.ROOT);
        if (m.contains("received fatal alert: bad_certificate") || m.contains("certificate_unknown") || m.contains("certificate_revoked")
                || m.contains("certificate_expired") || m.contains("certificate_required") || m.contains("unsupported_certificate"))
            return "the coordinator refused this site's certificate (is it issued by this federation's CA, for this site,"
                    + " unexpired and not revoked?)";
        if (m.contains("no subject alternative") || m.contains("no name matching") || m.contains("hostname"))
            return "the coordinator's certificate does not name the host in the coordinator URL (it must be among the names"
                    + " given to `fedehr ca init --san`)";
        if (m.contains("pkix") || m.contains("certification path") || m.contains("certificate_unknown") || m.contains("signature check failed"))
            return "the coordinator's certificate is not issued by the trusted federation CA (is coordinator.ca_certificate this"
                    + " federation's ca.crt?)";
        if (m.contains("expired") || m.contains("notafter")) return "the coordinator's certificate has expired";
        if (m.contains("protocol_version") || m.contains("no appropriate protocol")) return "the coordinator does not speak TLS 1.3";
        return "check the federation CA certificate, this site's certificate and key";
    }

    /** {@code https://host:port}. */
    @Override
    public String address() {
        return "https://" + host + ":" + port;
    }

    private static void expect(HttpResponse<Buffer> r, int status, String what) throws LinkException {
        if (r.statusCode() == status) return;
        String msg;
        try {
            msg = Json.parse(r.body().getBytes(), ErrorBody.class).message();
        } catch (RuntimeException e) {
            msg = r.body() == null ? "" : r.bodyAsString();
        }
        throw new LinkException(what + ": HTTP " + r.statusCode() + " " + msg, r.statusCode(), null);
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
    public void close() {
        client.close();
        if (ownsVertx) vertx.close();
    }
}
