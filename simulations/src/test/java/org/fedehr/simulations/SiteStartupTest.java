package org.fedehr.simulations;

import org.fedehr.protocol.tls.SelfSignedCertificate;
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

/** What a hospital sees when it starts its site node: data first, then the coordinator's certificate. */
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
                coordinator: {url: "https://127.0.0.1:1", trust_certificate: missing/coordinator.crt}
                """);
    }

    private String run(boolean checkOnly, Path trust) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Deployment.runSite(dir.resolve("s.yaml"), dir, null, trust, checkOnly, new PrintStream(buf, true, StandardCharsets.UTF_8));
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
    void aMissingCertificateSaysWhereItComesFrom() {
        assertThatThrownBy(() -> run(false, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("coordinator certificate to trust not found: " + dir.resolve("missing/coordinator.crt"))
                .hasMessageContaining("s.yaml: coordinator.trust_certificate")
                .hasMessageContaining("The coordinator writes it on its first start")
                .hasMessageContaining("fedehr site --check");
    }

    @Test
    void aFileThatIsNotACertificateIsRefusedAtStartup() throws Exception {
        SelfSignedCertificate c = SelfSignedCertificate.generate("fedehr-coordinator", Duration.ofDays(1));
        Path key = dir.resolve("coordinator.key");
        Files.writeString(key, c.privateKeyPem());
        assertThatThrownBy(() -> run(false, key))
                .hasMessageContaining(key + " (from --trust) is not a PEM certificate")
                .hasMessageContaining("never its key");
        Path cert = dir.resolve("coordinator.crt");
        Files.writeString(cert, c.certificatePem());
        assertThat(Deployment.readTrustedCertificate(cert, "--trust")).isEqualTo(c.certificatePem());
    }
}
