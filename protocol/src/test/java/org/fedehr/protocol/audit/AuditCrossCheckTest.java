package org.fedehr.protocol.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedehr.protocol.audit.AuditFixture.*;

class AuditCrossCheckTest {
    @TempDir
    Path dir;

    private static AuditVerifier.Result v(Path f) {
        AuditVerifier.Result r = AuditVerifier.verify(f, CA.certificate());
        assertThat(r.ok()).as(r.summary()).isTrue();
        return r;
    }

    @Test
    void twinLedgersMatchAndOtherSitesAreIgnored() {
        Path a = siteLedger(dir, SITE_A);
        Path b = siteLedger(dir, SITE_B);
        Path c = coordinatorLedger(dir, List.of("site-a", "site-b"), null);
        assertThat(AuditVerifier.crossCheck(v(a), v(c))).isEmpty();
        assertThat(AuditVerifier.crossCheck(v(b), v(c))).isEmpty();
    }

    @Test
    void coordinatorEntryWithoutASiteTwinIsReported() {
        Path a = siteLedger(dir, SITE_A);
        Path c = coordinatorLedger(dir, List.of("site-a"), l -> l.append(coordReceived("site-a", 4, AuditKind.TRAIN, payload("ghost"))));
        List<AuditVerifier.Mismatch> m = AuditVerifier.crossCheck(v(a), v(c));
        assertThat(m).hasSize(1);
        assertThat(m.get(0).party()).isEqualTo("coordinator");
        assertThat(m.get(0).seq()).isEqualTo(7);
        assertThat(m.get(0).toString()).isEqualTo("coordinator seq 7: TRAIN RECEIVED from site-a in round 4 has no twin in the ledger of site site-a");
    }

    @Test
    void siteEntryWithoutACoordinatorTwinIsReported() {
        Path a = siteLedger(dir, SITE_A);
        Path c = coordinatorLedger(dir, List.of("site-b"), null);
        List<AuditVerifier.Mismatch> m = AuditVerifier.crossCheck(v(a), v(c));
        assertThat(m).hasSize(6).allSatisfy(x -> assertThat(x.reason()).endsWith("has no twin in the coordinator's ledger"));
    }

    @Test
    void payloadHashMismatchIsReportedOnce() throws Exception {
        Path a = siteLedger(dir, SITE_A);
        Path c = dir.resolve("coordinator.audit.jsonl");
        try (AuditLedger l = AuditLedger.createCoordinator(c, COORD, RUN, new TickClock())) {
            for (int r = 1; r <= 3; r++) {
                l.append(coordSent("site-a", r, AuditKind.TASK, payload("task " + r)));
                l.append(coordReceived("site-a", r, AuditKind.TRAIN, payload(r == 2 ? "update site-a 2 (altered)" : "update site-a " + r)));
            }
            l.seal(null);
        }
        List<AuditVerifier.Mismatch> m = AuditVerifier.crossCheck(v(a), v(c));
        assertThat(m).hasSize(1);
        assertThat(m.get(0).party()).isEqualTo("site-a");
        assertThat(m.get(0).seq()).isEqualTo(4);
        assertThat(m.get(0).reason()).startsWith("TRAIN SENT to coordinator in round 2: payload differs from its twin, coordinator seq 4")
                .contains("15 bytes; coordinator sha256").contains("25 bytes");
    }

    @Test
    void crossCheckNeedsTheCoordinatorLedger() {
        Path a = siteLedger(dir, SITE_A);
        Path b = siteLedger(dir, SITE_B);
        assertThatThrownBy(() -> AuditVerifier.crossCheck(v(a), v(b))).hasMessageContaining("is not the coordinator's ledger");
    }
}
