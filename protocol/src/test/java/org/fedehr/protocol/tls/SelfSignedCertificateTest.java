package org.fedehr.protocol.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedCertificateTest {
    @Test
    void generatesParseablePems(@TempDir Path dir) throws Exception {
        SelfSignedCertificate c = SelfSignedCertificate.generate("coordinator.test", Duration.ofDays(1));
        assertThat(c.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
        assertThat(c.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=coordinator.test");
        assertThat(x.getPublicKey().getAlgorithm()).isEqualTo("EC");
        x.checkValidity();
        x.verify(x.getPublicKey());
        assertThat(x.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList()).contains("localhost", "127.0.0.1");

        Path cert = dir.resolve("tls/cert.pem"), key = dir.resolve("tls/key.pem");
        c.write(cert, key);
        assertThat(Files.readString(cert)).isEqualTo(c.certificatePem());
        assertThat(Files.readString(key)).isEqualTo(c.privateKeyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void extraNamesBecomeDnsAndIpSubjectAlternativeNames() throws Exception {
        SelfSignedCertificate c = SelfSignedCertificate.generate("fedehr-coordinator", Duration.ofDays(1),
                java.util.List.of("coord.hospital.example", "10.1.2.3", "fe80::1"));
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.certificatePem().getBytes(StandardCharsets.US_ASCII)));
        // type 2 = dNSName, 7 = iPAddress
        var sans = x.getSubjectAlternativeNames().stream().map(l -> l.get(0) + ":" + l.get(1)).toList();
        assertThat(sans).contains("2:localhost", "7:127.0.0.1", "2:fedehr-coordinator", "2:coord.hospital.example",
                "7:10.1.2.3", "7:fe80:0:0:0:0:0:0:1");
    }

    @Test
    void badNamesAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SelfSignedCertificate.generate("c", Duration.ofDays(1),
                java.util.List.of("two words"))).hasMessageContaining("was 'two words'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SelfSignedCertificate.generate("c", Duration.ZERO))
                .hasMessageContaining("validity must be positive");
    }
}
