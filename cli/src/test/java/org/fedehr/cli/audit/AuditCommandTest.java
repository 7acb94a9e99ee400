package org.fedehr.cli.audit;

import org.fedehr.cli.Main;
import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditKind;
import org.fedehr.protocol.audit.AuditLedger;
import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.SiteIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCommandTest {
    static final String RUN = "7d0e4c1a-5b2f-4e55-9a0b-2f1d3c4b5a69";
    static final List<String> SITES = List.of("cleveland", "hungary", "switzerland", "va");

    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    static final class Tick extends Clock {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId z) {
            return this;
        }

        public synchronized Instant instant() {
            now = now.plusMillis(700);
            return now;
        }
    }

    /** A 4-site run with statistics, 5 secure-aggregation rounds with DP, evaluation, and one refusal; returns the ledgers. */
    static List<Path> demoRun(Path dir) {
        FederationCa ca = FederationCa.create("heart-disease", Duration.ofDays(30)).saveTo(dir.resolve("pki"));
        CertifiedKey coordKey = ca.issueCoordinator(List.of(), Duration.ofDays(1));
        List<Path> files = new ArrayList<>();
        Tick clock = new Tick();
        AuditLedger coord = AuditLedger.createCoordinator(dir.resolve("coordinator.audit.jsonl"), coordKey, RUN, clock);
        List<AuditLedger> sites = new ArrayList<>();
        for (String s : SITES) {
            SiteIdentity id = ca.issueSite(s, Duration.ofDays(1));
            Path f = dir.resolve(s + ".audit.jsonl");
            sites.add(AuditLedger.create(f, id, RUN, clock));
            files.add(f);
        }
        files.add(coord.file());
        Random rnd = new Random(7);
        double[] eps = new double[SITES.size()];
        for (int round = 0; round <= 5; round++) {
            List<AuditKind> kinds = round == 0 ? List.of(AuditKind.STATISTICS)
                    : List.of(AuditKind.SECAGG_KEYS, AuditKind.SECAGG_SHARES, AuditKind.TRAIN, AuditKind.SECAGG_UNMASK, AuditKind.EVALUATE);
            for (AuditKind k : kinds) {
                for (int i = 0; i < SITES.size(); i++) {
                    String s = SITES.get(i);
                    byte[] task = ("task " + round + " " + k + " " + s).getBytes(StandardCharsets.UTF_8);
                    coord.append(AuditEvent.exchange("coordinator", RUN, round, AuditEvent.Direction.SENT, s, AuditKind.TASK, task));
                    sites.get(i).append(AuditEvent.exchange(s, RUN, round, AuditEvent.Direction.RECEIVED, "coordinator", AuditKind.TASK, task));
                    boolean refuse = s.equals("va") && round == 4 && k == AuditKind.SECAGG_KEYS;
                    if (refuse || s.equals("va") && round == 4) {
                        if (!refuse) continue;
                    }
                    int size = switch (k) {
                        case TRAIN -> 180_000 + rnd.nextInt(200);
                        case SECAGG_SHARES -> 1_200 + rnd.nextInt(50);
                        default -> 300 + rnd.nextInt(100);
                    };
                    byte[] reply = new byte[refuse ? 120 : size];
                    rnd.nextBytes(reply);
                    AuditEvent e = AuditEvent.exchange(s, RUN, round, AuditEvent.Direction.SENT, "coordinator",
                                    refuse ? AuditKind.REFUSAL : k, reply)
                            .withModelSpecDigest("9c".repeat(32))
                            .withPolicyChecks(List.of("model_spec_approved", "min_cohort>=3", "budget_left"));
                    if (refuse) e = e.withNote("privacy budget would exceed the site limit of 3.0 (spent " + String.format(java.util.Locale.ROOT, "%.1f", eps[i]) + ")");
                    if (k == AuditKind.TRAIN && !refuse) {
                        eps[i] += 0.5 + 0.1 * i;
                        e = e.withFilters(Map.of("clip_range", 8, "gaussian_noise_sigma", 1.1, "secure_aggregation", "t=3 of 4"))
                                .withEpsilon(0.5 + 0.1 * i, eps[i]).withCohort(SITES);
                    }
                    if (k == AuditKind.STATISTICS) e = e.withFilters(Map.of("min_count", 10));
                    sites.get(i).append(e);
                    coord.append(AuditEvent.exchange("coordinator", RUN, round, AuditEvent.Direction.RECEIVED, s, e.kind(), reply));
                }
            }
        }
        for (AuditLedger l : sites) {
            l.seal("run finished");
            l.close();
        }
        coord.seal("run finished");
        coord.close();
        return files;
    }

    private String[] args(String sub, List<Path> logs, String... more) {
        List<String> a = new ArrayList<>(List.of("audit", sub));
        logs.forEach(p -> a.add(p.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void verifyIntactLedgersWithTheCa() {
        List<Path> logs = demoRun(dir);
        assertThat(Main.execute(args("verify", logs, "--ca", dir.resolve("pki/ca.crt").toString()))).isZero();
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).contains("cleveland.audit.jsonl: OK: 52 entries, sealed [cleveland, run " + RUN)
                .contains("certificate issued by the CA")
                .contains("cross-check va <-> coordinator: OK")
                .contains("cross-check cleveland <-> coordinator: OK (52 exchanges on both sides)");
    }

    @Test
    void verifyNamesTheFirstBadEntryAndAMissingTwin() throws Exception {
        List<Path> logs = demoRun(dir);
        Path hungary = logs.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(hungary));
        lines.remove(10);
        Files.writeString(hungary, String.join("\n", lines) + "\n");
        assertThat(Main.execute(args("verify", logs))).isEqualTo(1);
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).contains("hungary.audit.jsonl: FAILED: line 11 (seq 11): seq gap: expected 10, found 11")
                .contains("certificate NOT checked against a CA")
                .contains("cross-check hungary <-> coordinator: SKIPPED (the site's ledger failed verification)")
                .contains("cross-check va <-> coordinator: OK");
    }

    @Test
    void reportWritesThePageAndPlots() throws Exception {
        List<Path> logs = demoRun(dir);
        Path report = Path.of(System.getProperty("audit.report.dir", dir.resolve("report").toString()));
        assertThat(Main.execute(args("report", logs, "--out", report.toString(), "--ca", dir.resolve("pki/ca.crt").toString()))).isZero();
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("Verified: all 5 ledgers are intact").contains("What left cleveland")
                .contains("privacy budget would exceed the site limit").contains("masked model update")
                .contains("<img src=\"privacy-budget.png\"").contains("<img src=\"bytes-per-round.png\"");
        assertThat(Files.size(report.resolve("privacy-budget.png"))).isGreaterThan(5_000);
        assertThat(Files.size(report.resolve("bytes-per-round.png"))).isGreaterThan(5_000);
    }
}
