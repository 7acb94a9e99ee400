package org.fedehr.protocol.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FederationCaTest {
    static final FederationCa CA = FederationCa.create("test", Duration.ofDays(30));

    @TempDir
    Path dir;

    @Test
    void rootCaIsACriticalCaWithCertSignAndCrlSign() throws Exception {
        X509Certificate c = CA.certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=test federation CA");
        assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] ku = c.getKeyUsage();
        assertThat(ku[5]).as("keyCertSign").isTrue();
        assertThat(ku[6]).as("cRLSign").isTrue();
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        c.verify(c.getPublicKey());
    }

    @Test
    void siteCertificateHasCnDigitalSignatureAndClientAuthAndA128BitSerial() throws Exception {
        SiteKeyRequest req = SiteKeyRequest.generate("cleveland");
        X509Certificate cert = CA.sign(req.csrPem(), "cleveland", FederationCa.DEFAULT_SITE_VALIDITY);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=cleveland");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSerialNumber().bitLength()).isBetween(100, 128);
        assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays()).isBetween(29L, 30L); // capped at the CA's end
        cert.verify(CA.certificate().getPublicKey());
        assertThat(FederationTrust.of(CA).validateSite(cert, "cleveland")).isEqualTo("cleveland");
    }

    @Test
    void csrForAnotherSiteOrABadIdOrATamperedCsrIsRefused() {
        SiteKeyRequest req = SiteKeyRequest.generate("cleveland");
        assertThatThrownBy(() -> CA.sign(req.csrPem(), "hungarian", Duration.ofDays(90)))
                .hasMessageContaining("the CSR is for site cleveland, not for site hungarian");
        assertThatThrownBy(() -> CA.sign(req.csrPem(), "bad id/..", Duration.ofDays(90)))
                .hasMessageContaining("site id must match [A-Za-z0-9_.-]{1,64}");
        assertThatThrownBy(() -> SiteKeyRequest.generate("x".repeat(65))).hasMessageContaining("site id must match");
        assertThatThrownBy(() -> CA.sign("hello", "cleveland", Duration.ofDays(90))).hasMessageContaining("not a PEM certificate signing request");
        // flip one byte of the signature (the end of the DER): the self-signature no longer verifies
        String b64 = req.csrPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        der[der.length - 3] ^= 1;
        String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThatThrownBy(() -> CA.sign(tampered, "cleveland", Duration.ofDays(90))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void csrHoldsNoPrivateKeyAndTheKeyFileIsOwnerOnly() throws Exception {
        SiteKeyRequest req = SiteKeyRequest.generate("va");
        req.write(dir);
        String csr = Files.readString(dir.resolve("va.csr"));
        assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE KEY");
        byte[] privateScalar = ((java.security.interfaces.ECPrivateKey) req.privateKey()).getS().toByteArray();
        byte[] csrDer = Base64.getMimeDecoder().decode(csr.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(indexOf(csrDer, java.util.Arrays.copyOfRange(privateScalar, privateScalar.length - 16, privateScalar.length))).isEqualTo(-1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("va.key")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("va.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(req.toString()).doesNotContain("PRIVATE");
        assertThatThrownBy(() -> req.write(dir)).hasMessageContaining("refusing to overwrite the existing key");
    }

    @Test
    void savedCaHasOwnerOnlyKeyReloadsAndRefusesToBeOverwritten() throws Exception {
        FederationCa ca = FederationCa.create("disk", Duration.ofDays(365)).saveTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("revoked.crl"))).startsWith("-----BEGIN X509 CRL-----");
        assertThatThrownBy(() -> FederationCa.create("other", Duration.ofDays(1)).saveTo(dir)).hasMessageContaining("already holds a federation CA");
        FederationCa again = FederationCa.load(dir);
        assertThat(again.certificate()).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> FederationCa.load(dir.resolve("nope"))).hasMessageContaining("fedehr ca init");
    }

    @Test
    void revocationListIsSignedByTheCaAndContainsTheSerialWithItsReasonAcrossReloads() throws Exception {
        FederationCa.create("crl", Duration.ofDays(365)).saveTo(dir);
        FederationCa ca = FederationCa.load(dir);
        SiteIdentity a = ca.issueSite("a", Duration.ofDays(1));
        SiteIdentity b = ca.issueSite("b", Duration.ofDays(1));
        ca.revoke(a.certificate(), "key-compromise");
        FederationCa.load(dir).revoke(b.certificate().getSerialNumber(), null);   // a second process appends
        X509CRL crl = Pem.crl(Files.readAllBytes(dir.resolve("revoked.crl")), "crl");
        crl.verify(ca.certificate().getPublicKey());
        assertThat(crl.getRevokedCertificate(a.certificate().getSerialNumber())).isNotNull();
        assertThat(crl.getRevokedCertificate(b.certificate().getSerialNumber())).isNotNull();
        assertThatThrownBy(() -> FederationCa.load(dir).revoke(a.certificate(), "superseded")).hasMessageContaining("already revoked");
        assertThatThrownBy(() -> ca.revoke(BigIntegerOne(), "because")).hasMessageContaining("unknown revocation reason 'because'");
        FederationTrust trust = FederationTrust.load(dir.resolve("ca.crt"), dir.resolve("revoked.crl"));
        assertThatThrownBy(() -> trust.validateSite(a.certificate(), null)).hasMessageContaining("CN=a")
                .hasMessageContaining("revoked on").hasMessageContaining("(keyCompromise)");
        assertThatThrownBy(() -> trust.validateSite(b.certificate(), null)).hasMessageContaining("(unspecified)");
    }

    @Test
    void coordinatorCertificateIsForServerAuthAndNamesItsHosts() throws Exception {
        CertifiedKey c = CA.issueCoordinator(List.of("coord.example", "10.0.0.5"), Duration.ofDays(10));
        assertThat(c.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(c.certificate().getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
                .containsExactly((Object) "localhost", "127.0.0.1", "coord.example", "10.0.0.5");
        assertThat(c.toString()).doesNotContain("PRIVATE");
        assertThatThrownBy(() -> CA.issueCoordinator(List.of("a b"), Duration.ofDays(1))).hasMessageContaining("'a b'");
    }

    @Test
    void siteIdentityLoadsFromFilesAndNamesTheFileOnErrors() throws Exception {
        SiteKeyRequest req = SiteKeyRequest.generate("hungarian");
        req.write(dir);
        Files.writeString(dir.resolve("hungarian.crt"), Pem.encode(CA.sign(req.csrPem(), "hungarian", Duration.ofDays(1))));
        SiteIdentity id = SiteIdentity.load(dir.resolve("hungarian.key"), dir.resolve("hungarian.crt"));
        assertThat(id.siteId()).isEqualTo("hungarian");
        assertThat(id.toString()).doesNotContain("PRIVATE");
        assertThatThrownBy(() -> SiteIdentity.load(dir.resolve("missing.key"), dir.resolve("hungarian.crt")))
                .hasMessageContaining("site private key not found: " + dir.resolve("missing.key"));
        SiteKeyRequest other = SiteKeyRequest.generate("other");
        other.write(dir);
        assertThatThrownBy(() -> SiteIdentity.load(dir.resolve("other.key"), dir.resolve("hungarian.crt")))
                .hasMessageContaining("does not belong to the private key").hasMessageContaining("other.key");
        assertThatThrownBy(() -> SiteIdentity.load(dir.resolve("hungarian.key"), dir.resolve("hungarian.csr")))
                .hasMessageContaining("hungarian.csr is not a PEM certificate");
    }

    private static java.math.BigInteger BigIntegerOne() {
        return java.math.BigInteger.ONE;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
