package org.fedehr.protocol.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FederationTrustTest {
    static final FederationCa CA = FederationCa.create("trust", Duration.ofDays(365));
    static final FederationCa OTHER = FederationCa.create("trust", Duration.ofDays(365)); // same name, other key

    @TempDir
    Path dir;

    @Test
    void refusalsNameTheCertificateAndTheReason() throws Exception {
        FederationTrust trust = FederationTrust.of(CA);
        SiteIdentity good = CA.issueSite("a", Duration.ofDays(90));
        assertThat(trust.validateSite(good.certificate(), "a")).isEqualTo("a");
        String serial = good.certificate().getSerialNumber().toString(16);
        assertThatThrownBy(() -> trust.validateSite(good.certificate(), "b"))
                .hasMessage("certificate is for site a but it claims to be b (serial " + serial + ")");

        X509Certificate foreign = OTHER.issueSite("a", Duration.ofDays(90)).certificate();
        assertThatThrownBy(() -> trust.validateSite(foreign, null)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("certificate CN=a (serial ").hasMessageContaining("is not issued by this federation's CA");

        Instant past = Instant.now().minus(Duration.ofDays(10));
        X509Certificate expired = CA.sign(SiteKeyRequest.generate("a").csrPem(), "a", past, past.plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> trust.validateSite(expired, "a")).hasMessageContaining("expired on " + expired.getNotAfter().toInstant());
        assertThatThrownBy(() -> trust.withClock(Clock.fixed(past, ZoneOffset.UTC)).validateSite(good.certificate(), "a"))
                .hasMessageContaining("is not yet valid");

        X509Certificate server = CA.issueCoordinator(List.of(), Duration.ofDays(1)).certificate();
        assertThatThrownBy(() -> trust.validateSite(server, null)).hasMessageContaining("missing clientAuth");
        assertThatThrownBy(() -> trust.validateSite(CA.certificate(), null)).hasMessageContaining("is a CA certificate");

        FederationCa ca2 = FederationCa.create("live", Duration.ofDays(10));
        FederationTrust live = FederationTrust.of(ca2);
        SiteIdentity s = ca2.issueSite("s", Duration.ofDays(1));
        live.validateSite(s.certificate(), "s");
        ca2.revoke(s.certificate(), "cessationOfOperation");
        assertThatThrownBy(() -> live.validateSite(s.certificate(), "s")).hasMessageContaining("revoked on").hasMessageContaining("(cessationOfOperation)");
    }

    @Test
    void theRevocationListFileIsReReadWhenItChangesAndAMissingOneFailsClosed() throws Exception {
        FederationCa ca = FederationCa.create("file", Duration.ofDays(10)).saveTo(dir);
        FederationTrust trust = FederationTrust.load(dir.resolve("ca.crt"), dir.resolve("revoked.crl"));
        SiteIdentity s = ca.issueSite("s", Duration.ofDays(1));
        trust.validateSite(s.certificate(), "s");
        FederationCa.load(dir).revoke(s.certificate(), "superseded");    // as `fedehr ca revoke` does, in another process
        assertThatThrownBy(() -> trust.validateSite(s.certificate(), "s")).hasMessageContaining("revoked on");
        Files.delete(dir.resolve("revoked.crl"));
        SiteIdentity t = ca.issueSite("t", Duration.ofDays(1));
        assertThatThrownBy(() -> trust.validateSite(t.certificate(), "t")).hasMessageContaining("revocation list " + dir.resolve("revoked.crl"))
                .hasMessageContaining("missing");
        Files.writeString(dir.resolve("revoked.crl"), OTHER.revocationListPem());
        assertThatThrownBy(() -> trust.validateSite(t.certificate(), "t")).hasMessageContaining("is not signed by the federation CA");
        assertThatThrownBy(() -> FederationTrust.load(dir.resolve("nope.crt"), null)).hasMessageContaining("fedehr ca init");
    }

    @Test
    void verifiedSiteKeyReturnsTheKeyOfAValidCertificateOnly() throws Exception {
        FederationTrust trust = FederationTrust.of(CA);
        SiteIdentity s = CA.issueSite("k", Duration.ofDays(1));
        assertThat(trust.verifiedSiteKey("k", s.certificatePem())).isEqualTo(s.certificate().getPublicKey());
        assertThatThrownBy(() -> trust.verifiedSiteKey("j", s.certificatePem())).hasMessageContaining("certificate is for site k but it claims to be j");
        assertThatThrownBy(() -> trust.verifiedSiteKey("k", "nonsense")).hasMessageContaining("not a PEM certificate");
    }

    @Test
    void theTrustManagerReportsEachRefusalOnce() throws Exception {
        List<String> log = new ArrayList<>();
        FederationTrustManager tm = FederationTrust.of(CA).trustManager(log::add);
        tm.checkClientTrusted(new X509Certificate[]{CA.issueSite("ok", Duration.ofDays(1)).certificate()}, "EC");
        X509Certificate foreign = OTHER.issueSite("x", Duration.ofDays(1)).certificate();
        assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[]{foreign}, "EC")).isInstanceOf(CertificateException.class);
        assertThat(log).singleElement().asString().startsWith("refused TLS client: certificate CN=x (serial ")
                .contains("not issued by this federation's CA");
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[]{foreign}, "EC")).isInstanceOf(CertificateException.class);
        assertThat(tm.getAcceptedIssuers()).containsExactly(CA.certificate());
    }

    /** verifiedSiteKey caches the CA-signature check per certificate, but revocation, validity and the site id are re-checked on every call. */
    @Test
    void verifiedSiteKeyCachesOnlyTheSignatureCheck() throws Exception {
        FederationCa ca = FederationCa.create("cache", Duration.ofDays(10));
        FederationTrust trust = FederationTrust.of(ca);
        SiteIdentity s = ca.issueSite("s", Duration.ofDays(1));
        assertThat(trust.verifiedSiteKey("s", s.certificatePem())).isEqualTo(s.certificate().getPublicKey());
        assertThat(trust.verifiedSiteKey("s", s.certificatePem())).isEqualTo(s.certificate().getPublicKey()); // cached
        assertThatThrownBy(() -> trust.verifiedSiteKey("t", s.certificatePem())).hasMessageContaining("certificate is for site s but it claims to be t");
        Instant later = Instant.now().plus(Duration.ofDays(3));
        assertThatThrownBy(() -> trust.withClock(Clock.fixed(later, ZoneOffset.UTC)).verifiedSiteKey("s", s.certificatePem()))
                .hasMessageContaining("expired");
        ca.revoke(s.certificate(), "superseded");
        assertThatThrownBy(() -> trust.verifiedSiteKey("s", s.certificatePem())).hasMessageContaining("revoked on");
        X509Certificate foreign = OTHER.issueSite("s", Duration.ofDays(1)).certificate();
        String foreignPem = Pem.encode(foreign);
        assertThatThrownBy(() -> trust.verifiedSiteKey("s", foreignPem)).hasMessageContaining("is not issued by this federation's CA");
        assertThatThrownBy(() -> trust.verifiedSiteKey("s", foreignPem)).hasMessageContaining("is not issued by this federation's CA"); // never cached
    }
}
