package org.fedehr.protocol.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.Pem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies an {@link AuditLedger} file line by line and names the FIRST bad line: not canonical JSON (edited by
 * hand), a {@code prev_hash} that is not the SHA-256 of the previous line (edited, inserted, deleted or reordered
 * line), a seq gap or a seq out of order, a signature that does not verify with the certificate in the header
 * (edited or forged line, or re-signed with another key), time going backwards, a party or run differing from the
 * header, a second header, a line after the seal, a seal whose event count is wrong; and a ledger that does not end
 * with its seal ("not sealed (truncated or still open)"). With a CA certificate it also checks that the header's
 * certificate was issued by that CA for the ledger's party and was valid when the ledger was opened. Then
 * {@link #crossCheck} matches a site's ledger against the coordinator's.
 */
public final class AuditVerifier {
    /** The CN of the coordinator's certificate ({@code FederationCa.issueCoordinator}). */
    static final String COORDINATOR_CN = "fedehr-coordinator";

    private AuditVerifier() {
    }

    /**
     * What is wrong with one line.
     *
     * @param line     1-based line number
     * @param seq      the seq it carries, or the seq expected there (null when unreadable)
     * @param reason   what is wrong
     * @param unsealed true when the only problem is that the ledger has no seal
     */
    public record Problem(long line, Long seq, String reason, boolean unsealed) {
        @Override
        public String toString() {
            return "line " + line + (seq == null ? "" : " (seq " + seq + ")") + ": " + reason;
        }
    }

    /**
     * A ledger's verification.
     *
     * @param file        the file
     * @param party       the party of its header (null when unreadable)
     * @param runId       its run
     * @param certificate the certificate in its header
     * @param caChecked   whether the certificate was checked against a CA
     * @param entries     events in the verified part (header and seal not counted)
     * @param sealed      whether it ends with a valid seal
     * @param lastSeq     seq of the last verified line (-1 when none)
     * @param lastHash    SHA-256 of the last verified line
     * @param lastTime    time of the last verified line
     * @param events      the events of the verified part, in order
     * @param problem     the first bad line, or null when the ledger is intact and sealed
     */
    public record Result(Path file, String party, String runId, X509Certificate certificate, boolean caChecked, long entries,
                         boolean sealed, long lastSeq, String lastHash, Instant lastTime, List<AuditEvent> events,
                         Problem problem) {
        public boolean ok() {
            return problem == null;
        }

        /** {@code OK: 12 entries, sealed} or {@code FAILED: line 5 (seq 4): ...}. */
        public String summary() {
            return ok() ? "OK: " + entries + " entries, sealed" : "FAILED: " + problem;
        }
    }

    /** A mismatch between a site's ledger and the coordinator's. */
    public record Mismatch(String party, long seq, String reason) {
        @Override
        public String toString() {
            return party + " seq " + seq + ": " + reason;
        }
    }

    /** Verifies {@code file}; {@code ca} (nullable) is the federation CA certificate the header's must chain to. */
    public static Result verify(Path file, X509Certificate ca) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit ledger " + file, e);
        }
        String text = new String(all, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        boolean partialLast = !text.isEmpty() && !text.endsWith("\n");
        if (!partialLast && !lines.isEmpty()) lines.remove(lines.size() - 1);   // the empty piece after the final newline

        V v = new V(file, ca);
        for (int i = 0; i < lines.size(); i++) {
            boolean last = i == lines.size() - 1;
            List<String> reasons = v.check(i + 1, lines.get(i), last && partialLast);
            if (!reasons.isEmpty()) return v.result(new Problem(i + 1, v.badSeq, String.join("; ", reasons), false));
        }
        if (lines.isEmpty()) return v.result(new Problem(1, 0L, "empty ledger: no header", false));
        if (!v.sealed)
            return v.result(new Problem(lines.size() + 1, v.lastSeq + 1, "not sealed (truncated or still open): the last entry is line "
                    + lines.size() + " (seq " + v.lastSeq + ") and no seal follows", true));
        return v.result(null);
    }

    /** Verifies {@code file} against the CA certificate of {@code trust} (nullable: no CA check). */
    public static Result verify(Path file, FederationTrust trust) {
        return verify(file, trust == null ? null : trust.caCertificate());
    }

    private static final class V {
        final Path file;
        final X509Certificate ca;
        String party, runId, prevHash = LedgerFormat.GENESIS, lastHash;
        X509Certificate cert;
        long lastSeq = -1, events;
        Long badSeq;
        Instant lastTime;
        boolean sealed;
        final List<AuditEvent> list = new ArrayList<>();

        V(Path file, X509Certificate ca) {
            this.file = file;
            this.ca = ca;
        }

        List<String> check(int lineNo, String line, boolean partial) {
            List<String> r = new ArrayList<>();
            long expectedSeq = lastSeq + 1;
            badSeq = expectedSeq;
            if (partial) r.add("incomplete last line (no newline: truncated while being written)");
            JsonNode n;
            try {
                n = Json.mapper().readTree(line);
            } catch (IOException e) {
                r.add("not a JSON object");
                return r;
            }
            if (n == null || !n.isObject()) {
                r.add("not a JSON object");
                return r;
            }
            if (!new String(LedgerFormat.canonical(n), StandardCharsets.UTF_8).equals(line))
                r.add("not in canonical form (keys sorted, compact): the line was edited");
            if (sealed) r.add("entry after the seal (the ledger was closed at line " + (lineNo - 1) + ")");
            String type = n.path("type").asText(null);
            if (lineNo == 1 && !LedgerFormat.HEADER.equals(type)) {
                r.add("the first line is not a header (type '" + type + "')");
                return r;
            }
            if (lineNo > 1 && LedgerFormat.HEADER.equals(type)) r.add("a second header");
            if (!LedgerFormat.HEADER.equals(type) && !LedgerFormat.EVENT.equals(type) && !LedgerFormat.SEAL.equals(type))
                r.add("unknown entry type '" + type + "'");
            JsonNode seqNode = n.get("seq");
            if (seqNode == null || !seqNode.canConvertToLong() || !seqNode.isIntegralNumber()) {
                r.add("no seq");
            } else {
                long seq = seqNode.asLong();
                badSeq = seq;
                if (seq > expectedSeq) r.add("seq gap: expected " + expectedSeq + ", found " + seq + " (an entry is missing)");
                else if (seq < expectedSeq) r.add("seq out of order: expected " + expectedSeq + ", found " + seq
                        + " (entries reordered, duplicated or inserted)");
            }
            String ph = n.path("prev_hash").asText(null);
            if (!prevHash.equals(ph))
                r.add(lineNo == 1 ? "the header's prev_hash is not the genesis value (64 zeros)"
                        : "hash mismatch: prev_hash is not the SHA-256 of line " + (lineNo - 1)
                        + " (a line before it was edited, inserted, deleted or reordered)");
            if (lineNo == 1) {
                if (!LedgerFormat.FORMAT.equals(n.path("format").asText(null)))
                    r.add("unknown format '" + n.path("format").asText(null) + "' (expected " + LedgerFormat.FORMAT + ")");
                party = n.path("party").asText(null);
                runId = n.path("run_id").asText(null);
                if (party == null || runId == null) r.add("the header has no party or run_id");
                try {
                    cert = Pem.certificate(n.path("certificate_pem").asText(""), "the header's certificate");
                } catch (CertificateException e) {
                    r.add("the header's certificate is unreadable");
                    return r;
                }
                if (!AuditLedger.fingerprint(cert).equals(n.path("certificate_sha256").asText(null)))
                    r.add("certificate_sha256 is not the fingerprint of certificate_pem");
            } else {
                if (!eq(party, n.path("party").asText(null)))
                    r.add("party '" + n.path("party").asText(null) + "' differs from the header's '" + party + "'");
                if (!eq(runId, n.path("run_id").asText(null)))
                    r.add("run_id '" + n.path("run_id").asText(null) + "' differs from the header's '" + runId + "'");
            }
            String sig = n.path("signature").asText(null);
            com.fasterxml.jackson.databind.node.ObjectNode unsigned = n.deepCopy();
            unsigned.remove("signature");
            if (sig == null) r.add("no signature");
            else if (cert != null && !LedgerFormat.verify(LedgerFormat.canonical(unsigned), sig, cert.getPublicKey()))
                r.add("bad signature: not signed by the key of the header's certificate (" + FederationTrust.describe(cert)
                        + "): the entry was edited, forged or re-signed with another key");
            Instant t = null;
            try {
                t = Instant.parse(n.path("time").asText(""));
                if (lastTime != null && t.isBefore(lastTime))
                    r.add("out-of-order time: " + t + " is before the previous entry's " + lastTime);
            } catch (DateTimeParseException e) {
                r.add("time is not an ISO-8601 UTC instant");
            }
            AuditEvent ev = null;
            if (LedgerFormat.EVENT.equals(type)) {
                try {
                    ev = LedgerFormat.event(n);
                } catch (IllegalArgumentException e) {
                    r.add(e.getMessage());
                }
            }
            if (LedgerFormat.SEAL.equals(type)) {
                long counted = n.path("entries").asLong(-1);
                if (counted != events) r.add("the seal counts " + counted + " events but the ledger holds " + events
                        + " (entries were deleted or inserted)");
            }
            if (lineNo == 1 && ca != null && r.isEmpty()) checkCa(r, t);
            if (!r.isEmpty()) return r;
            prevHash = lastHash = LedgerFormat.hash(line);
            lastSeq = expectedSeq;
            lastTime = t;
            if (ev != null) {
                list.add(ev);
                events++;
            }
            if (LedgerFormat.SEAL.equals(type)) sealed = true;
            return r;
        }

        private void checkCa(List<String> r, Instant at) {
            String who = FederationTrust.describe(cert);
            try {
                cert.verify(ca.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                r.add("the header's certificate " + who + " is not issued by the given CA " + ca.getSubjectX500Principal().getName());
                return;
            }
            String cn = FederationTrust.commonName(cert);
            String expected = AuditEvent.COORDINATOR.equals(party) ? COORDINATOR_CN : party;
            if (!expected.equals(cn)) r.add("the header's certificate is for " + cn + ", not for the ledger's party " + party);
            try {
                cert.checkValidity(Date.from(at));
            } catch (CertificateException e) {
                r.add("the header's certificate " + who + " was not valid when the ledger was opened (" + at + ")");
            }
        }

        Result result(Problem p) {
            return new Result(file, party, runId, cert, ca != null && cert != null && (p == null || p.line() > 1), events,
                    sealed, lastSeq, lastHash, lastTime, List.copyOf(list), p);
        }
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    /**
     * Cross-checks a site's ledger against the coordinator's: every exchange between them must appear on both sides
     * (site SENT ↔ coordinator RECEIVED and vice versa) with the same run, round, kind, payload hash and size.
     * Events of the coordinator with other sites are ignored. Returns the events without a twin (an exchange whose
     * only candidate twin has a different hash or size is reported once, as a payload mismatch).
     */
    public static List<Mismatch> crossCheck(Result site, Result coordinator) {
        List<Mismatch> out = new ArrayList<>();
        if (!AuditEvent.COORDINATOR.equals(coordinator.party()))
            throw new IllegalArgumentException(coordinator.file() + " is not the coordinator's ledger (party " + coordinator.party() + ")");
        String siteId = site.party();
        if (site.runId() != null && !site.runId().equals(coordinator.runId()))
            out.add(new Mismatch(siteId, 0, "the site ledger is of run " + site.runId() + ", the coordinator's of run " + coordinator.runId()));
        Map<String, List<AuditEvent>> coordByKey = new LinkedHashMap<>();
        List<AuditEvent> coordLeft = new ArrayList<>();
        for (AuditEvent c : coordinator.events()) {
            if (!siteId.equals(c.peer())) continue;
            coordByKey.computeIfAbsent(key(c.runId(), c.round(), c.kind(), c.direction().opposite(), c.payloadSha256(), c.bytes()),
                    k -> new ArrayList<>()).add(c);
            coordLeft.add(c);
        }
        List<AuditEvent> siteLeft = new ArrayList<>();
        for (AuditEvent s : site.events()) {
            if (!AuditEvent.COORDINATOR.equals(s.peer())) continue;
            List<AuditEvent> twins = coordByKey.get(key(s.runId(), s.round(), s.kind(), s.direction(), s.payloadSha256(), s.bytes()));
            if (twins != null && !twins.isEmpty()) coordLeft.remove(twins.remove(0));
            else siteLeft.add(s);
        }
        for (Iterator<AuditEvent> it = siteLeft.iterator(); it.hasNext(); ) {
            AuditEvent s = it.next();
            AuditEvent near = null;
            for (AuditEvent c : coordLeft)
                if (c.runId().equals(s.runId()) && eq(c.round(), s.round()) && c.kind() == s.kind() && c.direction() == s.direction().opposite()) {
                    near = c;
                    break;
                }
            if (near != null) {
                coordLeft.remove(near);
                it.remove();
                out.add(new Mismatch(siteId, s.seq(), describe(s) + ": payload differs from its twin, coordinator seq " + near.seq()
                        + " (site sha256 " + s.payloadSha256().substring(0, 12) + "…, " + s.bytes() + " bytes; coordinator sha256 "
                        + near.payloadSha256().substring(0, 12) + "…, " + near.bytes() + " bytes)"));
            }
        }
        for (AuditEvent s : siteLeft)
            out.add(new Mismatch(siteId, s.seq(), describe(s) + " has no twin in the coordinator's ledger"));
        for (AuditEvent c : coordLeft)
            out.add(new Mismatch(AuditEvent.COORDINATOR, c.seq(), describe(c) + " has no twin in the ledger of site " + siteId));
        out.sort(java.util.Comparator.comparing((Mismatch m) -> m.party().equals(AuditEvent.COORDINATOR)).thenComparingLong(Mismatch::seq));
        return out;
    }

    private static boolean eq(Integer a, Integer b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String describe(AuditEvent e) {
        return e.kind() + " " + e.direction() + (e.direction() == AuditEvent.Direction.SENT ? " to " : " from ") + e.peer()
                + (e.round() == null ? "" : " in round " + e.round());
    }

    private static String key(String run, Integer round, AuditKind kind, AuditEvent.Direction siteDirection, String sha, long bytes) {
        return run + "|" + round + "|" + kind + "|" + siteDirection + "|" + sha + "|" + bytes;
    }
}
