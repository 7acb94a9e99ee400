package org.fedehr.simulations;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditKind;
import org.fedehr.protocol.audit.AuditVerifier;
import org.fedehr.protocol.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulation that writes outputs leaves one sealed, signed ledger per site and the coordinator's, and they match. */
class SimulationAuditTest {
    @TempDir
    Path dir;

    @Test
    void everySiteLedgerVerifiesAndMatchesTheCoordinators() throws Exception {
        SyntheticFederationTest.dir = dir;
        SyntheticFederationTest.writeFederation();
        Scenario sc = SyntheticFederationTest.scenario;
        ScenarioRunner.run(sc, dir, List.of(), dir.resolve("out"), null, false);
        Path audit = dir.resolve("out/audit/seed-" + sc.seed());
        X509Certificate ca = Pem.certificate(Files.readString(audit.resolve("ca.crt")), "ca.crt");
        List<Path> ledgers;
        try (Stream<Path> s = Files.list(audit)) {
            ledgers = s.filter(p -> p.toString().endsWith(".audit.jsonl")).sorted().toList();
        }
        assertThat(ledgers).extracting(p -> p.getFileName().toString())
                .contains("coordinator.audit.jsonl").hasSize(sc.siteFiles().size() + 1);
        AuditVerifier.Result coord = AuditVerifier.verify(audit.resolve("coordinator.audit.jsonl"), ca);
        assertThat(coord.summary()).startsWith("OK: ").endsWith(" entries, sealed");
        for (Path p : ledgers) {
            AuditVerifier.Result r = AuditVerifier.verify(p, ca);
            assertThat(r.ok()).as(p + ": " + r.summary()).isTrue();
            if (r.party().equals(AuditEvent.COORDINATOR)) continue;
            assertThat(AuditVerifier.crossCheck(r, coord)).as(r.party()).isEmpty();
            assertThat(r.events()).anyMatch(e -> e.kind() == AuditKind.STATISTICS && e.direction() == AuditEvent.Direction.SENT);
            assertThat(r.events()).anyMatch(e -> e.kind() == AuditKind.TASK && e.direction() == AuditEvent.Direction.RECEIVED);
        }
    }
}
