package org.fedehr.protocol.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One exchange of one party, as its audit ledger records it. Never carries a patient-level value: only sizes,
 * hashes, digests, filter parameters, privacy budget and policy-check names.
 *
 * @param seq             position in the ledger (the ledger assigns it; 0 is its header)
 * @param time            ISO-8601 UTC instant (the ledger assigns it from its clock)
 * @param party           who recorded it: a site id or {@value #COORDINATOR}
 * @param runId           the run
 * @param round           the round (0 for the statistics phase), null when not tied to a round
 * @param direction       SENT or RECEIVED, from {@code party}'s point of view
 * @param peer            the other side: {@value #COORDINATOR} for a site, a site id for the coordinator
 * @param kind            what the message was
 * @param bytes           size of the payload bytes
 * @param payloadSha256   SHA-256 of the payload bytes (64 lowercase hex)
 * @param modelSpecDigest the ModelSpec digest in force (nullable)
 * @param filters         filters applied with their parameters, e.g. {@code {clip_range=8, secure_aggregation="t=3 of 4"}}
 *                        (values: strings, numbers or booleans; may be empty)
 * @param epsilonRound    differential-privacy ε spent by this message's round (nullable)
 * @param epsilonTotal    ε spent in total so far (nullable)
 * @param cohort          the secure-aggregation cohort (site ids; nullable)
 * @param policyChecks    names of the policy checks passed (may be empty)
 * @param note            free text (never patient-level values; nullable)
 */
public record AuditEvent(long seq, String time, String party, String runId, Integer round, Direction direction,
                         String peer, AuditKind kind, long bytes, String payloadSha256, String modelSpecDigest,
                         Map<String, Object> filters, Double epsilonRound, Double epsilonTotal, List<String> cohort,
                         List<String> policyChecks, String note) {
    public static final String COORDINATOR = "coordinator";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public enum Direction {
        SENT, RECEIVED;

        public Direction opposite() {
            return this == SENT ? RECEIVED : SENT;
        }
    }

    public AuditEvent {
        if (seq < 0) throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        if (time != null) {
            try {
                Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time must be an ISO-8601 UTC instant, was '" + time + "'");
            }
        }
        if (party == null || party.isBlank()) throw new IllegalArgumentException("party must not be blank, was '" + party + "'");
        if (runId == null || runId.isBlank()) throw new IllegalArgumentException("runId must not be blank, was '" + runId + "'");
        if (round != null && round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        if (direction == null) throw new IllegalArgumentException("direction must not be null");
        if (peer == null || peer.isBlank()) throw new IllegalArgumentException("peer must not be blank, was '" + peer + "'");
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        if (payloadSha256 == null || !HEX64.matcher(payloadSha256).matches())
            throw new IllegalArgumentException("payloadSha256 must be 64 lowercase hex digits, was '" + payloadSha256 + "'");
        filters = filters == null ? Map.of() : copyFilters(filters);
        if (epsilonRound != null && !(epsilonRound >= 0) || epsilonRound != null && epsilonRound.isInfinite())
            throw new IllegalArgumentException("epsilonRound must be finite and >= 0, was " + epsilonRound);
        if (epsilonTotal != null && !(epsilonTotal >= 0) || epsilonTotal != null && epsilonTotal.isInfinite())
            throw new IllegalArgumentException("epsilonTotal must be finite and >= 0, was " + epsilonTotal);
        cohort = cohort == null ? null : List.copyOf(cohort);
        policyChecks = policyChecks == null ? List.of() : List.copyOf(policyChecks);
    }

    private static Map<String, Object> copyFilters(Map<String, Object> f) {
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, Object> e : f.entrySet()) {
            Object v = e.getValue();
            if (e.getKey() == null || e.getKey().isBlank()) throw new IllegalArgumentException("filter names must not be blank");
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean))
                throw new IllegalArgumentException("filter '" + e.getKey() + "' must have a string, number or boolean value, was " + v);
            if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float fl && (fl.isNaN() || fl.isInfinite()))
                throw new IllegalArgumentException("filter '" + e.getKey() + "' must be finite, was " + v);
            copy.put(e.getKey(), v);
        }
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(copy));
    }

    /**
     * An exchange of {@code payload} (seq and time are assigned by the ledger that records it); add the optional
     * parts with the {@code with...} methods.
     */
    public static AuditEvent exchange(String party, String runId, Integer round, Direction direction, String peer,
                                      AuditKind kind, byte[] payload) {
        return new AuditEvent(0, null, party, runId, round, direction, peer, kind, payload == null ? 0 : payload.length,
                sha256Hex(payload == null ? new byte[0] : payload), null, null, null, null, null, null, null);
    }

    /** Stamped by a ledger: its position and time. */
    public AuditEvent withSeqAndTime(long seq, Instant time) {
        return new AuditEvent(seq, time.toString(), party, runId, round, direction, peer, kind, bytes, payloadSha256,
                modelSpecDigest, filters, epsilonRound, epsilonTotal, cohort, policyChecks, note);
    }

    public AuditEvent withModelSpecDigest(String digest) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, digest, filters,
                epsilonRound, epsilonTotal, cohort, policyChecks, note);
    }

    public AuditEvent withFilters(Map<String, Object> f) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, modelSpecDigest, f,
                epsilonRound, epsilonTotal, cohort, policyChecks, note);
    }

    public AuditEvent withEpsilon(Double spentThisRound, Double spentInTotal) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, modelSpecDigest,
                filters, spentThisRound, spentInTotal, cohort, policyChecks, note);
    }

    public AuditEvent withCohort(List<String> c) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, modelSpecDigest,
                filters, epsilonRound, epsilonTotal, c, policyChecks, note);
    }

    public AuditEvent withPolicyChecks(List<String> checks) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, modelSpecDigest,
                filters, epsilonRound, epsilonTotal, cohort, checks, note);
    }

    public AuditEvent withNote(String n) {
        return new AuditEvent(seq, time, party, runId, round, direction, peer, kind, bytes, payloadSha256, modelSpecDigest,
                filters, epsilonRound, epsilonTotal, cohort, policyChecks, n);
    }

    public Instant instant() {
        return time == null ? null : Instant.parse(time);
    }

    /** SHA-256 of {@code bytes}, lowercase hex. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String utf8) {
        return sha256Hex(utf8.getBytes(StandardCharsets.UTF_8));
    }
}
