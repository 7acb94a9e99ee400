package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.SiteIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Shared PKI, a ticking clock and file-editing helpers for the audit tests. */
final class AuditFixture {
    static final FederationCa CA = FederationCa.create("audit-test", Duration.ofDays(30));
    static final SiteIdentity SITE_A = CA.issueSite("site-a", Duration.ofDays(1));
    static final SiteIdentity SITE_B = CA.issueSite("site-b", Duration.ofDays(1));
    static final CertifiedKey COORD = CA.issueCoordinator(List.of(), Duration.ofDays(1));
    static final String RUN = "3f1c2a9e-0000-4000-8000-000000000001";

    private AuditFixture() {
    }

    /** When every {@link TickClock} starts (within the test certificates' validity). */
    static final Instant START = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    /** Advances one second per reading, from {@link #START}. */
    static final class TickClock extends Clock {
        private Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            Instant t = now;
            now = now.plusSeconds(1);
            return t;
        }
    }

    static AuditEvent siteSent(String site, int round, AuditKind kind, byte[] payload) {
        return AuditEvent.exchange(site, RUN, round, AuditEvent.Direction.SENT, AuditEvent.COORDINATOR, kind, payload)
                .withModelSpecDigest("ab".repeat(32))
                .withFilters(Map.of("clip_range", 8, "secure_aggregation", "t=3 of 4"))
                .withEpsilon(0.5, 0.5 * round)
                .withCohort(List.of("site-a", "site-b", "site-c", "site-d"))
                .withPolicyChecks(List.of("model_spec_approved", "min_cohort>=3"));
    }

    static AuditEvent siteReceived(String site, int round, AuditKind kind, byte[] payload) {
        return AuditEvent.exchange(site, RUN, round, AuditEvent.Direction.RECEIVED, AuditEvent.COORDINATOR, kind, payload);
    }

    static AuditEvent coordSent(String site, int round, AuditKind kind, byte[] payload) {
        return AuditEvent.exchange(AuditEvent.COORDINATOR, RUN, round, AuditEvent.Direction.SENT, site, kind, payload);
    }

    static AuditEvent coordReceived(String site, int round, AuditKind kind, byte[] payload) {
        return AuditEvent.exchange(AuditEvent.COORDINATOR, RUN, round, AuditEvent.Direction.RECEIVED, site, kind, payload);
    }

    static byte[] payload(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A sealed site ledger: header, 6 events (3 rounds of TASK received + TRAIN sent), seal = 8 lines. */
    static Path siteLedger(Path dir, SiteIdentity site) {
        Path f = dir.resolve(site.siteId() + ".audit.jsonl");
        try (AuditLedger l = AuditLedger.create(f, site, RUN, new TickClock())) {
            for (int r = 1; r <= 3; r++) {
                l.append(siteReceived(site.siteId(), r, AuditKind.TASK, payload("task " + r)));
                l.append(siteSent(site.siteId(), r, AuditKind.TRAIN, payload("update " + site.siteId() + " " + r)));
            }
            l.seal("run finished");
        }
        return f;
    }

    /** The coordinator's twin of {@link #siteLedger} for the given sites. */
    static Path coordinatorLedger(Path dir, List<String> sites, Consumer<AuditLedger> extra) {
        Path f = dir.resolve("coordinator.audit.jsonl");
        try (AuditLedger l = AuditLedger.createCoordinator(f, COORD, RUN, new TickClock())) {
            for (int r = 1; r <= 3; r++) {
                for (String s : sites) l.append(coordSent(s, r, AuditKind.TASK, payload("task " + r)));
                for (String s : sites) l.append(coordReceived(s, r, AuditKind.TRAIN, payload("update " + s + " " + r)));
            }
            if (extra != null) extra.accept(l);
            l.seal(null);
        }
        return f;
    }

    static List<String> lines(Path f) throws IOException {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    static void write(Path f, List<String> lines) throws IOException {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static ObjectNode node(String line) throws IOException {
        return (ObjectNode) Json.mapper().readTree(line);
    }

    /**
     * What an insider holding the party's key could do: edit line {@code index} (0-based) and re-sign and re-chain
     * it and every line after it, so that only the semantic checks (seq, time, seal count...) can catch it.
     */
    static void rewriteAndRechain(List<String> lines, int index, PrivateKey key, Consumer<ObjectNode> edit) throws IOException {
        for (int i = index; i < lines.size(); i++) {
            ObjectNode n = node(lines.get(i));
            if (i == index) edit.accept(n);
            n.put("prev_hash", i == 0 ? LedgerFormat.GENESIS : LedgerFormat.hash(lines.get(i - 1)));
            lines.set(i, LedgerFormat.signedLine(n, key));
        }
    }
}
