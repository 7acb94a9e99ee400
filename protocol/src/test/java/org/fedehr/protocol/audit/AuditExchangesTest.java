package org.fedehr.protocol.audit;

import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditExchangesTest {
    static final UUID RUN = UUID.fromString("3f1c2a9e-0000-4000-8000-000000000001");

    @Test
    void bothSidesOfAnInstructionAgreeAndASiteReplyCarriesItsSecAggFilters() {
        SecAggTask sa = new SecAggTask(3, 8.0, 1024, 1000, null, List.of("a", "b", "c", "d"), List.of(), null);
        TaskInstruction t = new TaskInstruction(RUN, 7, 2, TaskKind.SECAGG_KEYS, "ab".repeat(32), null, 1, 10, null, 1, 0, sa);
        byte[] wire = Json.bytes(t);
        AuditEvent sent = AuditExchanges.instruction("coordinator", AuditEvent.Direction.SENT, "a", t, wire);
        AuditEvent got = AuditExchanges.instruction("a", AuditEvent.Direction.RECEIVED, "coordinator",
                Json.parse(wire, TaskInstruction.class), Json.bytes(Json.parse(wire, TaskInstruction.class)));
        assertThat(got.payloadSha256()).isEqualTo(sent.payloadSha256());
        assertThat(got.bytes()).isEqualTo(wire.length);
        assertThat(got.kind()).isEqualTo(AuditKind.TASK);
        assertThat(got.note()).isEqualTo("instruction SECAGG_KEYS (task 7)");
        assertThat(got.filters()).containsEntry("clip_range", 8.0).containsEntry("secure_aggregation", "t=3 of 4");
        assertThat(got.cohort()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void refusalsAndFailuresHaveTheirOwnKinds() {
        TaskInstruction t = new TaskInstruction(RUN, 1, 0, TaskKind.STATISTICS, null, null, 0, 0, null, 1, 0);
        SiteReply refused = SiteReply.to(t, "a").refused("min_cohort");
        ReplyEnvelope env = new ReplyEnvelope(refused, null);
        AuditEvent e = AuditExchanges.siteReply("a", t, env, env.encode());
        assertThat(e.kind()).isEqualTo(AuditKind.REFUSAL);
        assertThat(e.note()).isEqualTo("refused: min_cohort");
        assertThat(e.payloadSha256()).isEqualTo(AuditEvent.sha256Hex(env.encode()));
    }
}
