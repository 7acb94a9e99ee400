package org.fedehr.protocol.audit;

import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.secagg.KeyAdvert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit events of the protocol's exchanges, built the same way on both sides so that a site's entry and the
 * coordinator's twin agree on kind, round and payload hash: an instruction is hashed as its JSON ({@code Json.bytes}),
 * a reply as its encoded envelope ({@link ReplyEnvelope#encode()}), i.e. the bytes on the wire.
 */
public final class AuditExchanges {
    private AuditExchanges() {
    }

    /** A task instruction, sent by the coordinator or received by a site; {@code json} is its wire form. */
    public static AuditEvent instruction(String party, AuditEvent.Direction direction, String peer, TaskInstruction t, byte[] json) {
        AuditEvent e = AuditEvent.exchange(party, t.runId().toString(), t.round(), direction, peer, AuditKind.TASK, json)
                .withModelSpecDigest(t.modelDigest())
                .withNote("instruction " + t.kind() + " (task " + t.taskSeq() + ")");
        if (t.secagg() != null) e = e.withFilters(secaggFilters(t)).withCohort(cohort(t));
        return e;
    }

    /** A reply, sent by a site or received by the coordinator; {@code body} is its wire form. */
    public static AuditEvent reply(String party, AuditEvent.Direction direction, String peer, SiteReply r, byte[] body) {
        AuditEvent e = AuditEvent.exchange(party, r.runId().toString(), r.round(), direction, peer, replyKind(r), body);
        if (r.status() == ReplyStatus.REFUSED || r.status() == ReplyStatus.FAILED)
            e = e.withNote((r.status() == ReplyStatus.REFUSED ? "refused: " : "failed: ") + (r.message() == null ? "" : r.message()));
        else if (r.status() == ReplyStatus.NO_DATA) e = e.withNote("no data");
        return e;
    }

    /**
     * A site's reply to {@code t}: {@link #reply} plus what the site applied by the instruction (secure aggregation
     * threshold and clipping range, the cohort).
     */
    public static AuditEvent siteReply(String siteId, TaskInstruction t, ReplyEnvelope env, byte[] body) {
        AuditEvent e = reply(siteId, AuditEvent.Direction.SENT, AuditEvent.COORDINATOR, env.reply(), body).withModelSpecDigest(t.modelDigest());
        if (t.secagg() != null && env.masked() != null) e = e.withFilters(secaggFilters(t)).withCohort(cohort(t));
        return e;
    }

    /** The kind of a reply: its task's kind, or REFUSAL / ERROR. */
    public static AuditKind replyKind(SiteReply r) {
        if (r.status() == ReplyStatus.REFUSED) return AuditKind.REFUSAL;
        if (r.status() == ReplyStatus.FAILED) return AuditKind.ERROR;
        return kind(r.kind());
    }

    public static AuditKind kind(TaskKind k) {
        return switch (k) {
            case STATISTICS -> AuditKind.STATISTICS;
            case TRAIN -> AuditKind.TRAIN;
            case EVALUATE -> AuditKind.EVALUATE;
            case SECAGG_KEYS -> AuditKind.SECAGG_KEYS;
            case SECAGG_SHARES -> AuditKind.SECAGG_SHARES;
            case SECAGG_UNMASK -> AuditKind.SECAGG_UNMASK;
            case FINISHED -> AuditKind.FINISHED;
        };
    }

    private static Map<String, Object> secaggFilters(TaskInstruction t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("clip_range", t.secagg().clipRange());
        List<String> c = cohort(t);
        f.put("secure_aggregation", "t=" + t.secagg().threshold() + (c == null ? "" : " of " + c.size()));
        return f;
    }

    /** The stage's cohort: who advertised keys (U1), whose shares were delivered (U2) or whose inputs are held (U3). */
    private static List<String> cohort(TaskInstruction t) {
        List<KeyAdvert> roster = t.secagg().roster();
        if (roster != null) return roster.stream().map(KeyAdvert::siteId).toList();
        if (t.secagg().sharers() != null) return t.secagg().sharers();
        return t.secagg().survivors();
    }
}
