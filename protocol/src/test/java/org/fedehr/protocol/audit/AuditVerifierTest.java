package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.SiteIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedehr.protocol.audit.AuditFixture.*;

/** Every kind of edit to a sealed 8-line ledger (header, 6 events, seal) is detected and the first bad line named. */
class AuditVerifierTest {
    @TempDir
    Path dir;
    Path f;
    List<String> lines;

    @BeforeEach
    void ledger() throws Exception {
        f = siteLedger(dir, SITE_A);
        lines = lines(f);
        assertThat(AuditVerifier.verify(f, CA.certificate()).ok()).isTrue();
    }

    private AuditVerifier.Problem tampered() throws Exception {
        write(f, lines);
        AuditVerifier.Result r = AuditVerifier.verify(f, CA.certificate());
        assertThat(r.ok()).as("tampering must be detected").isFalse();
        assertThat(r.summary()).startsWith("FAILED: line ");
        return r.problem();
    }

    @Test
    void changedFieldIsABadSignatureOnThatLine() throws Exception {
        lines.set(2, lines.get(2).replace("\"bytes\":15", "\"bytes\":14"));
        assertThat(lines.get(2)).contains("\"bytes\":14");
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.seq()).isEqualTo(2L);
        assertThat(p.reason()).contains("bad signature").doesNotContain("hash mismatch");
    }

    @Test
    void nonCanonicalEditIsNamed() throws Exception {
        lines.set(2, lines.get(2).replace("{\"bytes\"", "{ \"bytes\""));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.reason()).contains("not in canonical form");
    }

    @Test
    void insertedForgedLineWithACopiedSignatureIsCaught() throws Exception {
        ObjectNode forged = node(lines.get(3));
        forged.put("payload_sha256", "00".repeat(32));
        lines.add(4, new String(LedgerFormat.canonical(forged), StandardCharsets.UTF_8));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.reason()).contains("seq out of order: expected 4, found 3").contains("hash mismatch").contains("bad signature");
    }

    @Test
    void insertedLineForgedWithAnotherKeyAndACorrectChainIsABadSignature() throws Exception {
        ObjectNode forged = node(lines.get(3));
        forged.put("seq", 4);
        forged.put("payload_sha256", "00".repeat(32));
        forged.put("prev_hash", LedgerFormat.hash(lines.get(3)));
        lines.add(4, LedgerFormat.signedLine(forged, SITE_B.privateKey()));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.reason()).startsWith("bad signature");
    }

    @Test
    void deletedLineIsAHashMismatchAndSeqGapWhereItWas() throws Exception {
        lines.remove(3);
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.seq()).isEqualTo(4L);
        assertThat(p.reason()).contains("seq gap: expected 3, found 4").contains("hash mismatch: prev_hash is not the SHA-256 of line 3");
    }

    @Test
    void deletedLineReChainedByAnInsiderIsStillASeqGapAndTheSealCountIsWrong() throws Exception {
        lines.remove(3);
        rewriteAndRechain(lines, 3, SITE_A.privateKey(), n -> {
        });
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.reason()).isEqualTo("seq gap: expected 3, found 4 (an entry is missing)");
    }

    @Test
    void swappedLinesAreCaughtAtTheFirstOfThem() throws Exception {
        String l3 = lines.get(3);
        lines.set(3, lines.get(4));
        lines.set(4, l3);
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.reason()).contains("seq gap: expected 3, found 4").contains("hash mismatch");
    }

    @Test
    void truncatedTailIsNotSealed() throws Exception {
        lines = lines.subList(0, 5);
        AuditVerifier.Problem p = tampered();
        assertThat(p.unsealed()).isTrue();
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.seq()).isEqualTo(5L);
        assertThat(p.toString()).isEqualTo("line 6 (seq 5): not sealed (truncated or still open): the last entry is line 5 (seq 4)"
                + " and no seal follows");
    }

    @Test
    void truncatedMidLineIsNamed() throws Exception {
        String text = String.join("\n", lines) + "\n";
        Files.writeString(f, text.substring(0, text.length() - 40));
        AuditVerifier.Result r = AuditVerifier.verify(f, CA.certificate());
        assertThat(r.problem().line()).isEqualTo(8);
        assertThat(r.problem().reason()).contains("incomplete last line");
    }

    @Test
    void reSignedWithAnotherKeyIsABadSignature() throws Exception {
        ObjectNode n = node(lines.get(2));
        n.put("bytes", 1);
        lines.set(2, LedgerFormat.signedLine(n, SITE_B.privateKey()));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.reason()).contains("bad signature: not signed by the key of the header's certificate (CN=site-a");
    }

    @Test
    void wholeLedgerReSignedUnderAnotherCertificateFailsTheCaCheck() throws Exception {
        FederationCa rogue = FederationCa.create("rogue", Duration.ofDays(1));
        SiteIdentity fake = rogue.issueSite("site-a", Duration.ofDays(1));
        rewriteAndRechain(lines, 0, fake.privateKey(), n -> {
            n.put("certificate_pem", fake.certificatePem());
            n.put("certificate_sha256", AuditLedger.fingerprint(fake.certificate()));
        });
        write(f, lines);
        assertThat(AuditVerifier.verify(f, (java.security.cert.X509Certificate) null).ok()).as("self-consistent without a CA").isTrue();
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.reason()).contains("is not issued by the given CA");
    }

    @Test
    void ledgerSignedByAnotherSitesRealCertificateFailsTheCaCheck() throws Exception {
        rewriteAndRechain(lines, 0, SITE_B.privateKey(), n -> {
            n.put("certificate_pem", SITE_B.certificatePem());
            n.put("certificate_sha256", AuditLedger.fingerprint(SITE_B.certificate()));
        });
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.reason()).contains("is for site-b, not for the ledger's party site-a");
    }

    @Test
    void changedPrevHashIsAHashMismatch() throws Exception {
        ObjectNode n = node(lines.get(5));
        n.put("prev_hash", "1".repeat(64));
        lines.set(5, new String(LedgerFormat.canonical(n), StandardCharsets.UTF_8));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.reason()).contains("hash mismatch").contains("bad signature");
    }

    @Test
    void changedPrevHashReSignedByTheInsiderIsStillAHashMismatch() throws Exception {
        ObjectNode n = node(lines.get(5));
        n.put("prev_hash", "1".repeat(64));
        lines.set(5, LedgerFormat.signedLine(n, SITE_A.privateKey()));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.reason()).startsWith("hash mismatch").doesNotContain("bad signature");
    }

    @Test
    void timeGoingBackwardsIsOutOfOrder() throws Exception {
        rewriteAndRechain(lines, 4, SITE_A.privateKey(), n -> n.put("time", START.minusSeconds(1).toString()));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.reason()).isEqualTo("out-of-order time: " + START.minusSeconds(1) + " is before the previous entry's " + START.plusSeconds(3));
    }

    @Test
    void entryAfterTheSealIsNamed() throws Exception {
        lines.add(lines.get(7));
        rewriteAndRechain(lines, 8, SITE_A.privateKey(), n -> n.put("seq", 8));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(9);
        assertThat(p.reason()).contains("entry after the seal");
    }

    @Test
    void sealWithAWrongCountIsNamed() throws Exception {
        rewriteAndRechain(lines, 7, SITE_A.privateKey(), n -> n.put("entries", 5));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(8);
        assertThat(p.reason()).contains("the seal counts 5 events but the ledger holds 6");
    }

    @Test
    void changedPartyIsNamed() throws Exception {
        rewriteAndRechain(lines, 2, SITE_A.privateKey(), n -> n.put("party", "site-b"));
        AuditVerifier.Problem p = tampered();
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.reason()).contains("party 'site-b' differs from the header's 'site-a'");
    }
}
