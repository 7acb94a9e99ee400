package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedehr.protocol.audit.AuditFixture.*;

class AuditLedgerTest {
    @TempDir
    Path dir;

    @Test
    void sealedLedgerVerifiesAndRoundTripsItsEvents() throws Exception {
        Path f = siteLedger(dir, SITE_A);
        AuditVerifier.Result r = AuditVerifier.verify(f, CA.certificate());
        assertThat(r.summary()).isEqualTo("OK: 6 entries, sealed");
        assertThat(r.caChecked()).isTrue();
        assertThat(r.party()).isEqualTo("site-a");
        assertThat(r.runId()).isEqualTo(RUN);
        assertThat(r.events()).hasSize(6);
        AuditEvent train = r.events().get(1);
        assertThat(train.seq()).isEqualTo(2);
        assertThat(train.time()).isEqualTo(START.plusSeconds(2).toString());
        assertThat(train.kind()).isEqualTo(AuditKind.TRAIN);
        assertThat(train.direction()).isEqualTo(AuditEvent.Direction.SENT);
        assertThat(train.payloadSha256()).isEqualTo(AuditEvent.sha256Hex(payload("update site-a 1")));
        assertThat(train.bytes()).isEqualTo(payload("update site-a 1").length);
        assertThat(train.filters()).containsEntry("clip_range", 8).containsEntry("secure_aggregation", "t=3 of 4");
        assertThat(train.epsilonRound()).isEqualTo(0.5);
        assertThat(train.cohort()).containsExactly("site-a", "site-b", "site-c", "site-d");
        assertThat(train.policyChecks()).containsExactly("model_spec_approved", "min_cohort>=3");
    }

    @Test
    void linesAreCanonicalSnakeCaseJsonChainedFromGenesis() throws Exception {
        List<String> lines = lines(siteLedger(dir, SITE_A));
        assertThat(lines).hasSize(8);
        ObjectNode header = node(lines.get(0));
        assertThat(header.get("type").asText()).isEqualTo("header");
        assertThat(header.get("prev_hash").asText()).isEqualTo("0".repeat(64));
        assertThat(header.get("certificate_pem").asText()).isEqualTo(SITE_A.certificatePem());
        assertThat(header.get("certificate_sha256").asText()).isEqualTo(AuditEvent.sha256Hex(SITE_A.certificate().getEncoded()));
        for (int i = 1; i < lines.size(); i++) {
            assertThat(node(lines.get(i)).get("prev_hash").asText()).isEqualTo(AuditEvent.sha256Hex(lines.get(i - 1)));
            assertThat(new String(LedgerFormat.canonical(node(lines.get(i))), StandardCharsets.UTF_8)).isEqualTo(lines.get(i));
        }
        assertThat(lines.get(2)).contains("\"payload_sha256\":", "\"run_id\":", "\"policy_checks\":", "\"epsilon_total\":")
                .doesNotContain("payloadSha256");
        ObjectNode seal = node(lines.get(7));
        assertThat(seal.get("type").asText()).isEqualTo("seal");
        assertThat(seal.get("entries").asLong()).isEqualTo(6);
    }

    @Test
    void signaturesVerifyAgainstThePartysCertificate() throws Exception {
        for (String line : lines(siteLedger(dir, SITE_A))) {
            ObjectNode n = node(line);
            byte[] sig = Base64.getDecoder().decode(n.remove("signature").asText());
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(SITE_A.certificate().getPublicKey());
            v.update(LedgerFormat.canonical(n));
            assertThat(v.verify(sig)).as(line).isTrue();
            v.initVerify(SITE_B.certificate().getPublicKey());
            v.update(LedgerFormat.canonical(n));
            assertThat(v.verify(sig)).isFalse();
        }
    }

    @Test
    void reopeningResumesTheChainAfterVerifyingIt() throws Exception {
        Path f = dir.resolve("a.jsonl");
        try (AuditLedger l = AuditLedger.create(f, SITE_A, RUN, new TickClock())) {
            l.append(siteReceived("site-a", 1, AuditKind.TASK, payload("t1")));
        }
        assertThat(AuditVerifier.verify(f, CA.certificate()).problem().unsealed()).isTrue();
        try (AuditLedger l = AuditLedger.open(f, SITE_A.privateKey(), new TickClock())) {
            assertThat(l.entries()).isEqualTo(1);
            l.append(siteSent("site-a", 1, AuditKind.TRAIN, payload("u1")));
            l.seal(null);
        }
        AuditVerifier.Result r = AuditVerifier.verify(f, CA.certificate());
        assertThat(r.summary()).isEqualTo("OK: 2 entries, sealed");
        assertThat(r.events()).extracting(AuditEvent::seq).containsExactly(1L, 2L);
        assertThatThrownBy(() -> AuditLedger.open(f, SITE_A.privateKey(), null)).hasMessageContaining("is sealed");
    }

    @Test
    void refusesToResumeATamperedLedgerOrWithAnotherKey() throws Exception {
        Path f = dir.resolve("a.jsonl");
        try (AuditLedger l = AuditLedger.create(f, SITE_A, RUN, new TickClock())) {
            l.append(siteReceived("site-a", 1, AuditKind.TASK, payload("t1")));
            l.append(siteSent("site-a", 1, AuditKind.TRAIN, payload("u1")));
        }
        assertThatThrownBy(() -> AuditLedger.open(f, SITE_B.privateKey(), null)).hasMessageContaining("does not belong");
        List<String> lines = lines(f);
        lines.set(1, lines.get(1).replace("\"round\":1", "\"round\":2"));
        write(f, lines);
        assertThatThrownBy(() -> AuditLedger.open(f, SITE_A.privateKey(), null))
                .hasMessageContaining("fails verification").hasMessageContaining("line 2 (seq 1)");
    }

    @Test
    void refusesEventsOfAnotherPartyOrRunAndAnExistingFile() throws Exception {
        Path f = dir.resolve("a.jsonl");
        try (AuditLedger l = AuditLedger.create(f, SITE_A, RUN, null)) {
            assertThatThrownBy(() -> l.append(siteSent("site-b", 1, AuditKind.TRAIN, payload("x")))).hasMessageContaining("party site-b");
            assertThatThrownBy(() -> l.append(AuditEvent.exchange("site-a", "other-run", 1, AuditEvent.Direction.SENT,
                    "coordinator", AuditKind.TRAIN, payload("x")))).hasMessageContaining("run other-run");
            l.seal(null);
            assertThatThrownBy(() -> l.append(siteSent("site-a", 1, AuditKind.TRAIN, payload("x")))).hasMessageContaining("sealed");
        }
        assertThatThrownBy(() -> AuditLedger.create(f, SITE_A, RUN, null)).hasMessageContaining("already exists");
    }

    @Test
    void eventValidationNamesTheBadParameter() {
        assertThatThrownBy(() -> new AuditEvent(0, null, "a", RUN, 1, AuditEvent.Direction.SENT, "coordinator", AuditKind.TRAIN,
                1, "xyz", null, null, null, null, null, null, null)).hasMessageContaining("payloadSha256");
        assertThatThrownBy(() -> siteSent("site-a", 1, AuditKind.TRAIN, payload("x")).withFilters(Map.of("noise", List.of(1))))
                .hasMessageContaining("filter 'noise'");
        assertThatThrownBy(() -> siteSent("site-a", 1, AuditKind.TRAIN, payload("x")).withEpsilon(-1.0, 1.0))
                .hasMessageContaining("epsilonRound");
    }

    @Test
    void concurrentAppendsKeepTheChainIntact() throws Exception {
        Path f = dir.resolve("c.jsonl");
        try (AuditLedger l = AuditLedger.createCoordinator(f, COORD, RUN, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int k = i;
                fs.add(pool.submit(() -> l.append(coordReceived("site-" + (k % 4), k, AuditKind.TRAIN, payload("u" + k)))));
            }
            for (var fu : fs) fu.get();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            l.seal(null);
        }
        assertThat(AuditVerifier.verify(f, CA.certificate()).summary()).isEqualTo("OK: 40 entries, sealed");
        assertThat(Files.readAllLines(f)).hasSize(42);
    }
}
