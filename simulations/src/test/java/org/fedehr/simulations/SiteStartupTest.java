package org.fedehr.simulations;

import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.Pem;
import org.fedehr.protocol.pki.SiteKeyRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a hospital sees when it starts its site node: data first, then the federation CA and its own key and certificate. */
class SiteStartupTest {
    @TempDir
    Path dir;

    @BeforeEach
    void site() throws Exception {
        Files.writeString(dir.resolve("features.yaml"), "features:\n  - {name: age, type: numeric}\n");
        Files.writeString(dir.resolve("s.csv"), "age,y\n50,1\n61,0\n47,1\n70,0\n55,1\n");
        Files.writeString(dir.resolve("s.yaml"), """
                site: {id: s}
                data:
                  file: s.csv
                  header: true
                  on_invalid_row: drop
                  columns:
                    - {name: age, header: age, type: numeric}
                    - {name: y,   header: y,   type: binary}
                  label: {column: y, positive_if: "== 1"}
                split: {test_fraction: 0.4, seed: 3, stratify: false}
                features: features.yaml
                coordinator: {url: "https://127.0.0.1:1", ca_certificate: missing/ca.crt}
                """);
    }

    private String run(boolean checkOnly, Path ca) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Deployment.runSite(dir.resolve("s.yaml"), dir, new Deployment.SiteOptions(null, ca, null, null, checkOnly),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkOnlyValidatesTheDataWithoutACertificateOrCoordinator() throws Exception {
        String out = run(true, null);
        assertThat(out).contains("site s: 3 training rows, 2 test rows")
                .contains("configuration and data are valid (check only; nothing was sent)");
    }

    @Test
    void badDataIsReportedBeforeTheMissingCertificate() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), Files.readString(dir.resolve("s.yaml")).replace("on_invalid_row: drop", "on_invalid_row: fail"));
        Files.writeString(dir.resolve("s.csv"), "age,y\n50,1\nabc,0\n");
        assertThatThrownBy(() -> run(false, null)).hasMessageContaining("s.csv: line 3, column 'age': value is not a number");
    }

    @Test
    void aMissingCaCertificateSaysWhereItComesFrom() {
        assertThatThrownBy(() -> run(false, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("federation CA certificate not found: " + dir.resolve("missing/ca.crt"))
                .hasMessageContaining("s.yaml: coordinator.ca_certificate")
                .hasMessageContaining("fedehr ca init")
                .hasMessageContaining("fedehr site --check");
    }

    @Test
    void aFileThatIsNotACertificateIsRefusedAtStartup() throws Exception {
        SiteKeyRequest k = SiteKeyRequest.generate("s");
        Path key = dir.resolve("ca.key");
        Files.writeString(key, k.privateKeyPem());
        assertThatThrownBy(() -> run(false, key))
                .hasMessageContaining(key + " (from --ca) is not a PEM certificate")
                .hasMessageContaining("never a key")
                .hasMessageNotContaining(k.privateKeyPem().substring(30, 60));
    }

    @Test
    void theSitesKeyAndCertificateAreCheckedBeforeAnythingIsSent() throws Exception {
        FederationCa ca = TestPki.init(dir.resolve("pki"));
        Path caFile = dir.resolve("pki/ca.crt");
        assertThatThrownBy(() -> run(false, caFile))
                .hasMessageContaining("site private key not found: " + dir.resolve("pki/s.key"))
                .hasMessageContaining("s.yaml: coordinator.key").hasMessageContaining("fedehr site keygen --site s");
        SiteKeyRequest req = SiteKeyRequest.generate("s");
        req.write(dir.resolve("pki"));
        assertThatThrownBy(() -> run(false, caFile)).hasMessageContaining("site certificate not found: " + dir.resolve("pki/s.crt"));
        // a certificate from another federation's CA
        Pem.writePublic(dir.resolve("pki/s.crt"), Pem.encode(FederationCa.create("other", java.time.Duration.ofDays(1))
                .sign(req.csrPem(), "s", java.time.Duration.ofDays(1))));
        assertThatThrownBy(() -> run(false, caFile)).hasMessageContaining("is not issued by this federation's CA");
        // a certificate for another site (its own key and certificate, in this site's config)
        SiteKeyRequest t = SiteKeyRequest.generate("t");
        t.write(dir.resolve("pki2"));
        Pem.writePublic(dir.resolve("pki2/t.crt"), Pem.encode(ca.sign(t.csrPem(), "t", java.time.Duration.ofDays(1))));
        assertThatThrownBy(() -> Deployment.runSite(dir.resolve("s.yaml"), dir, new Deployment.SiteOptions(null, caFile,
                dir.resolve("pki2/t.crt"), dir.resolve("pki2/t.key"), false), new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("certificate is for site t but it claims to be s");
    }
}
