package org.fedehr.simulations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A coordinator config is checked, with errors naming file and key, before anything is started or written. */
class DeploymentConfigTest {
    @TempDir
    Path dir;

    private Path config(String seedLine, String server) throws IOException {
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: a, type: numeric}]\n");
        Path p = dir.resolve("coordinator.yaml");
        Files.writeString(p, """
                name: t
                %s
                features: f.yaml
                federation: {rounds: 1, min_sites: 1, quorum: 1}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                server: %s
                """.formatted(seedLine, server));
        return p;
    }

    @Test
    void seedZeroIsRefusedNamingFileAndKeyBeforeACertificateIsWritten() throws IOException {
        Path cfg = config("seed: 0", "{port: 0}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Deployment.runCoordinator(cfg, Deployment.CoordinatorOptions.DEFAULTS, new PrintStream(out)))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("/coordinator.yaml line 2: seed: 0 is not allowed (DL4J treats seed 0 as 'no seed'); pick another value");
        assertThat(dir.resolve("coordinator.crt")).doesNotExist();
        assertThat(dir.resolve("coordinator.key")).doesNotExist();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void seedAndServerSettingsAreRead() throws IOException {
        var c = Deployment.CoordinatorConfig.read(config("seed: 7", "{host: 0.0.0.0, port: 9443, certificate: tls/c.crt, poll_timeout_ms: 500}"));
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.name()).isEqualTo("t");
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9443);
        assertThat(c.certificate()).isEqualTo(dir.toAbsolutePath().resolve("tls/c.crt"));
        assertThat(c.key()).isEqualTo(dir.toAbsolutePath().resolve("pki/coordinator.key"));
        assertThat(c.caCertificate()).isEqualTo(dir.toAbsolutePath().resolve("pki/ca.crt"));
        assertThat(c.revocationList()).isEqualTo(dir.toAbsolutePath().resolve("pki/revoked.crl"));
        assertThat(c.pollTimeoutMs()).isEqualTo(500);
        assertThat(Deployment.CoordinatorConfig.read(config("", "{}")).seed()).as("default seed").isEqualTo(42);
    }

    @Test
    void portOutsideTheRangeIsRefusedNamingFileAndKey() throws IOException {
        Path cfg = config("seed: 1", "{port: 70000}");
        assertThatThrownBy(() -> Deployment.CoordinatorConfig.read(cfg))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("/coordinator.yaml line 7: server.port: must be in [0, 65535] (0 = any free port), was 70000");
    }

    @Test
    void commandLinePortAndHostAreChecked() {
        assertThatThrownBy(() -> new Deployment.CoordinatorOptions(null, null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port must be in [0, 65535]").hasMessageContaining("-1");
        assertThatThrownBy(() -> new Deployment.CoordinatorOptions(null, " ", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--host");
        assertThat(new Deployment.CoordinatorOptions(null, null, 0).port()).isZero();
    }

    @Test
    void aMissingPkiTellsTheOperatorToRunCaInit() throws IOException {
        Path cfg = config("seed: 3", "{port: 0}");
        assertThatThrownBy(() -> Deployment.runCoordinator(cfg, Deployment.CoordinatorOptions.DEFAULTS, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("coordinator.yaml: server.ca_certificate: file not found: " + dir.toAbsolutePath().resolve("pki/ca.crt"))
                .hasMessageContaining("fedehr ca init --dir " + dir.toAbsolutePath().resolve("pki"));
        TestPki.init(dir.resolve("pki"));
        java.nio.file.Files.delete(dir.resolve("pki/coordinator.key"));
        assertThatThrownBy(() -> Deployment.runCoordinator(cfg, Deployment.CoordinatorOptions.DEFAULTS, new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("server.key: file not found: " + dir.toAbsolutePath().resolve("pki/coordinator.key"));
    }

    @Test
    void theCertificateNamesAreReadFromTheCoordinatorCertificate() {
        var ca = org.fedehr.protocol.pki.FederationCa.create("n", java.time.Duration.ofDays(1));
        assertThat(Deployment.certificateNames(ca.issueCoordinator(java.util.List.of("coord.example", "10.0.0.5"),
                java.time.Duration.ofDays(1)).certificatePem())).containsExactly("localhost", "127.0.0.1", "coord.example", "10.0.0.5");
    }

    @Test
    void aCoordinatorCertificateFromAnotherCaIsRefusedAtStart() throws IOException {
        Path cfg = config("seed: 3", "{port: 0, certificate: other/coordinator.crt, key: other/coordinator.key}");
        TestPki.init(dir.resolve("pki"));
        TestPki.init(dir.resolve("other"));
        assertThatThrownBy(() -> Deployment.runCoordinator(cfg, Deployment.CoordinatorOptions.DEFAULTS, new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("server.certificate: " + dir.toAbsolutePath().resolve("other/coordinator.crt") + " is not issued by the federation CA");
    }
}
