package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.protocol.audit.AuditVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 §4: the same scenario and seed give the identical final model (same SHA-256 of the parameters) and the same
 * round records whether the sites are HTTPS clients on loopback ({@code mode: network}) or served in process by a worker
 * pool ({@code mode: in-process}), with secure aggregation (the default) and without. Small generated files, so it
 * always runs (no FEDEHR_DATA).
 */
class ExecutionModeEquivalenceTest {
    @TempDir
    static Path dir;
    static Scenario secure, plain;

    @BeforeAll
    static void writeFederation() throws IOException {
        Random rnd = new Random(3);
        StringBuilder split = new StringBuilder("site,line,set\n");
        for (String s : List.of("A", "B", "C")) {
            int n = s.equals("A") ? 90 : s.equals("B") ? 60 : 45;
            StringBuilder sb = new StringBuilder("age,sex,cp,y\n");
            for (int i = 0; i < n; i++) {
                double age = 50 + 12 * rnd.nextGaussian();
                int sex = rnd.nextInt(2), cp = 1 + rnd.nextInt(4);
                double z = 0.07 * (age - 50) + (cp == 4 ? 1.2 : -0.4) + 0.4 * sex;
                int y = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
                sb.append(String.format(Locale.ROOT, "%.1f", age)).append(',').append(sex).append(',').append(cp).append(',').append(y).append('\n');
                split.append(s).append(',').append(i + 2).append(',').append(i < n * 3 / 4 ? "train" : "test").append('\n');
            }
            Files.writeString(dir.resolve(s + ".csv"), sb.toString());
            Files.writeString(dir.resolve(s + ".yaml"), """
                    site: {id: %s}
                    data:
                      file: %s.csv
                      header: true
                      columns:
                        - {name: age, header: age, type: numeric}
                        - {name: sex, header: sex, type: binary}
                        - {name: cp,  header: cp,  type: categorical}
                        - {name: y,   header: y,   type: binary}
                      label: {column: y, positive_if: "== 1"}
                    split: {file: split.csv, site_column: site, site_value: %s, line_column: line, set_column: set}
                    """.formatted(s, s, s));
        }
        Files.writeString(dir.resolve("split.csv"), split.toString());
        Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - {name: age, type: numeric}
                  - {name: sex, type: binary}
                  - {name: cp,  type: categorical}
                """);
        String common = """
                seed: 19
                features: features.yaml
                sites: [A.yaml, B.yaml, C.yaml]
                federation: {rounds: 3, quorum: 3, deadline_seconds: 60, grace_seconds: 30}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                baselines: {pooled: false, local: false}
                """;
        Files.writeString(dir.resolve("secure.yaml"), "name: modes-secure\n" + common);
        Files.writeString(dir.resolve("plain.yaml"), "name: modes-plain\nsecure_aggregation: false\n" + common);
        secure = Scenario.load(dir.resolve("secure.yaml"));
        plain = Scenario.load(dir.resolve("plain.yaml"));
    }

    @Test
    void scenarioModeKey() throws IOException {
        assertThat(plain.mode()).isEqualTo(ExecutionMode.NETWORK);
        Files.writeString(dir.resolve("inproc.yaml"), Files.readString(dir.resolve("plain.yaml")) + "mode: in-process\nworkers: 3\n");
        Scenario s = Scenario.load(dir.resolve("inproc.yaml"));
        assertThat(s.mode()).isEqualTo(ExecutionMode.IN_PROCESS);
        assertThat(s.workers()).isEqualTo(3);
        Files.writeString(dir.resolve("bad.yaml"), Files.readString(dir.resolve("plain.yaml")) + "mode: carrier-pigeon\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scenario.load(dir.resolve("bad.yaml")))
                .hasMessageContaining("mode").hasMessageContaining("carrier-pigeon").hasMessageContaining("in-process");
        // fault injection is served through the network-mode link only: refused up front, not silently skipped
        Files.writeString(dir.resolve("faulty.yaml"), Files.readString(dir.resolve("inproc.yaml")) + "faults: {dropout: {probability: 0.2}}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scenario.load(dir.resolve("faulty.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults").hasMessageContaining("mode: network");
        // and a scenario switched to in-process mode in code is refused when it runs
        Files.writeString(dir.resolve("faulty-net.yaml"), Files.readString(dir.resolve("plain.yaml")) + "faults: {dropout: {probability: 0.2}}\n");
        Scenario faulty = Scenario.load(dir.resolve("faulty-net.yaml")).withMode(ExecutionMode.IN_PROCESS, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Simulation(dir, null, null).run(faulty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults").hasMessageContaining("mode: network");
    }

    @Test
    void plainUpdatesSameModelSameRecordsSameBytes() throws Exception {
        SeedResult net = new Simulation(dir, null, null).run(plain);
        SeedResult inp = new Simulation(dir, null, null).run(plain.withMode(ExecutionMode.IN_PROCESS, 2));
        assertSame(net, inp);
        // the in-process link passes the same encoded messages: the coordinator counts the same bytes both ways
        assertThat(inp.bytesDown()).isEqualTo(net.bytesDown());
        assertThat(inp.bytesUp()).isEqualTo(net.bytesUp());
        assertThat(inp.bytesDown()).isEqualTo(net.bytesDown());
        assertThat(inp.updateBytes()).isEqualTo(net.updateBytes()).isPositive();
    }

    @Test
    void secureAggregationSameModelInBothModesAndLedgersVerify() throws Exception {
        SeedResult net = new Simulation(dir, null, null).run(secure);
        Path audit = dir.resolve("audit-inproc");
        SeedResult inp = new Simulation(dir, null, null).auditDir(audit).run(secure.withMode(ExecutionMode.IN_PROCESS, 2));
        assertSame(net, inp);
        // the in-process sites' ledgers and the coordinator's verify and cross-check, as over HTTPS
        List<Path> ledgers;
        try (var files = Files.list(audit)) {
            ledgers = files.filter(p -> p.toString().endsWith(".audit.jsonl")).sorted().toList();
        }
        assertThat(ledgers).hasSize(4);
        java.security.cert.X509Certificate ca = org.fedehr.protocol.pki.Pem.certificate(Files.readString(audit.resolve("ca.crt")), "ca.crt");
        AuditVerifier.Result coord = AuditVerifier.verify(audit.resolve("coordinator.audit.jsonl"), ca);
        assertThat(coord.summary()).startsWith("OK: ").endsWith(" entries, sealed");
        for (Path p : ledgers) {
            AuditVerifier.Result r = AuditVerifier.verify(p, ca);
            assertThat(r.ok()).as(p + ": " + r.summary()).isTrue();
            assertThat(r.summary()).endsWith(" entries, sealed");
            if (!r.party().equals("coordinator")) assertThat(AuditVerifier.crossCheck(r, coord)).as(r.party()).isEmpty();
        }
    }

    /**
     * SCAFFOLD's control variates and Ditto's personal models live at the sites across rounds: in process, where a site's
     * node is released between instructions, they go through the site-state store, and the result is still the same.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scaffold", "ditto"})
    void siteStateOfLocalAlgorithmsSurvivesInProcess(String strategy) throws Exception {
        Scenario sc = plain.withFederation(plain.federation().withStrategy(strategy, java.util.Map.of()));
        SeedResult net = new Simulation(dir, null, null).run(sc);
        SeedResult inp = new Simulation(dir, null, null).run(sc.withMode(ExecutionMode.IN_PROCESS, 2));
        assertSame(net, inp);
        assertThat(inp.federated().pooledTestAuroc()).isEqualTo(net.federated().pooledTestAuroc());
    }

    private static void assertSame(SeedResult net, SeedResult inp) {
        assertThat(net.status()).isEqualTo("completed 3 rounds");
        assertThat(inp.status()).isEqualTo(net.status());
        assertThat(inp.modelSha256()).isEqualTo(net.modelSha256());
        assertThat(inp.modelDigest()).isEqualTo(net.modelDigest());
        assertThat(inp.rounds()).hasSameSizeAs(net.rounds());
        for (int i = 0; i < net.rounds().size(); i++) {
            RoundRecord a = net.rounds().get(i), b = inp.rounds().get(i);
            assertThat(b.contributed()).isEqualTo(a.contributed()).containsOnlyKeys("A", "B", "C");
            assertThat(b.failures()).isEqualTo(a.failures()).isEmpty();
            assertThat(b.status()).isEqualTo(a.status());
            assertThat(b.evaluation().perSite()).isEqualTo(a.evaluation().perSite());
        }
        assertThat(inp.federated().pooledTestAccuracy()).isEqualTo(net.federated().pooledTestAccuracy());
    }
}
