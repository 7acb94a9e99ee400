package org.fedehr.coordinator.http;

import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.protocol.pki.SiteKeyRequest;
import org.fedehr.protocol.pki.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS against the real server: only site certificates of this federation's CA get in, a site is who its
 * certificate says, and every refusal is logged with the certificate and the reason.
 */
class MutualTlsHttpTest {
    HttpRun fed;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (fed != null) fed.close();
    }

    private HttpRun start(TestPki pki) throws Exception {
        fed = new HttpRun(HttpRun.policy(2, 2, 10_000, 0), 4, 64 * 1024, 1_000, Duration.ofSeconds(30), pki).start();
        return fed;
    }

    private void awaitEvent(Predicate<String> p, String what) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            if (fed.events.stream().anyMatch(p)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("no event " + what + " in " + fed.events);
    }

    private Wire wire(SiteIdentity id) {
        return new Wire(fed.pki.ca.certificatePem(), id, fed.port);
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        start(TestPki.DEFAULT);
        SiteIdentity foreign = FederationCa.create("test", Duration.ofDays(1)).issueSite("A", Duration.ofDays(1));
        assertThatThrownBy(() -> wire(foreign).get("/v1/status", null, null)).isInstanceOf(IOException.class);
        String serial = foreign.certificate().getSerialNumber().toString(16);
        awaitEvent(e -> e.equals("access refused: refused TLS client: certificate CN=A (serial " + serial
                + ") is not issued by this federation's CA (its signature does not verify with CN=test federation CA)"), "wrong CA");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        start(TestPki.DEFAULT);
        SiteKeyRequest req = SiteKeyRequest.generate("A");
        Instant past = Instant.now().minus(Duration.ofDays(3));
        X509Certificate cert = TestPki.CA.sign(req.csrPem(), "A", past, past.plus(Duration.ofDays(1)));
        SiteIdentity expired = new SiteIdentity("A", req.privateKey(), cert, Pem.encode(cert), req.privateKeyPem());
        assertThatThrownBy(() -> wire(expired).get("/v1/status", null, null)).isInstanceOf(IOException.class);
        awaitEvent(e -> e.contains("refused TLS client: certificate CN=A") && e.contains("expired on " + cert.getNotAfter().toInstant()), "expired");
    }

    @Test
    void aCertificateRevokedWhileTheServerRunsIsRefusedOnTheNextRequestAndHandshake() throws Exception {
        FederationCa.create("disk", Duration.ofDays(10)).saveTo(dir);
        FederationCa ca = FederationCa.load(dir);
        start(new TestPki(ca, FederationTrust.load(dir.resolve("ca.crt"), dir.resolve("revoked.crl"))));
        HttpRun.Site a = fed.new Site("A");
        assertThat(fed.wire("A").get("/v1/status", null, null).statusCode()).isEqualTo(200);
        // `fedehr ca revoke` in another process: loads the CA from its folder and rewrites revoked.crl
        FederationCa.load(dir).revoke(fed.pki.identity("A").certificate(), "keyCompromise");
        HttpResponse<String> r = fed.wire("A").get("/v1/tasks/next?after=0", "A", a.token);   // same kept-alive connection
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("certificate CN=A (serial ").contains("was revoked on").contains("(keyCompromise)");
        awaitEvent(e -> e.startsWith("access refused: GET /v1/tasks/next: certificate CN=A") && e.contains("(keyCompromise)"), "revoked request");
        // a new connection is refused in the handshake
        assertThatThrownBy(() -> wire(fed.pki.identity("A")).get("/v1/status", null, null)).isInstanceOf(IOException.class);
        awaitEvent(e -> e.startsWith("access refused: refused TLS client: certificate CN=A") && e.contains("was revoked on"), "revoked handshake");
    }

    @Test
    void aSiteCannotClaimAnotherSitesId() throws Exception {
        start(TestPki.DEFAULT);
        HttpResponse<String> reg = fed.wire("A").post("/v1/register",
                "{\"site_id\":\"B\",\"protocol_version\":1}".getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(reg.statusCode()).isEqualTo(403);
        assertThat(reg.body()).contains("certificate is for site A, request claims B");
        awaitEvent(e -> e.equals("access refused: POST /v1/register: certificate is for site A, request claims B"), "register as B");
        assertThat(fed.run.registeredSites()).isEmpty();

        HttpRun.Site b = fed.new Site("B");
        HttpResponse<String> poll = fed.wire("A").get("/v1/tasks/next?after=0", "B", b.token);  // A's certificate, B's token
        assertThat(poll.statusCode()).isEqualTo(403);
        assertThat(poll.body()).contains("certificate is for site A, request claims B (X-Fedehr-Site)");
        awaitEvent(e -> e.equals("access refused: GET /v1/tasks/next: certificate is for site A, request claims B (X-Fedehr-Site)"), "header B");
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        start(TestPki.DEFAULT);
        assertThatThrownBy(() -> wire(null).get("/v1/status", null, null)).isInstanceOf(IOException.class);
        awaitEvent(e -> e.startsWith("access refused: refused TLS client: no client certificate"), "no certificate");
    }

    @Test
    void aPlainHttpClientIsRefused() throws Exception {
        start(TestPki.DEFAULT);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", fed.port), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] got;
            try {
                got = in.readAllBytes();
            } catch (IOException reset) {
                got = new byte[0];
            }
            assertThat(new String(got, StandardCharsets.US_ASCII)).doesNotContain("run_id");
        }
        awaitEvent(e -> e.startsWith("access refused: refused TLS client: not TLS (a plain-HTTP client?"), "plain HTTP");
    }
}
