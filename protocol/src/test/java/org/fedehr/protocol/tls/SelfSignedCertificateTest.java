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
}
