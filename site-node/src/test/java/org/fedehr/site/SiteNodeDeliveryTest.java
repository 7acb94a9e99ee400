package org.fedehr.site;

import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C11 at the site: a reply whose connection fails (the coordinator closed it while the site worked) is resent —
 * safe because the coordinator acknowledges a repeat as "duplicate" — and a reply that cannot be delivered at all
 * is logged as not delivered instead of vanishing or killing the node. HTTP errors are not retried.
 */
@Timeout(20)
class SiteNodeDeliveryTest {
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC)), 1);
    static final List<Row> ROWS = List.of(new Row(1, new String[]{"50"}, 1), new Row(2, new String[]{"60"}, 0));
    static final TaskInstruction STATS = new TaskInstruction(UUID.randomUUID(), 1, 0, TaskKind.STATISTICS, null, null,
            -1, 0, null, 1, 0);

    /** Answers replies from a script: an Ack, or a LinkException to throw. */
    static final class ScriptedLink extends UnusedLink {
        final Deque<Object> script = new ArrayDeque<>();
        final List<ReplyEnvelope> sent = new ArrayList<>();

        @Override
        public Ack reply(ReplyEnvelope envelope) throws LinkException {
            sent.add(envelope);
            Object next = script.removeFirst();
            if (next instanceof LinkException e) throw e;
            return (Ack) next;
        }
    }

    final List<String> log = new ArrayList<>();

    SiteNode node(CoordinatorLink link) {
        return new SiteNode("A", DICT, ROWS, ROWS, link, (s, m) -> log.add(m)).retryDelayMs(1);
    }

    @Test
    void transportFailureIsRetriedAndTheSameReplyDelivered() throws Exception {
        ScriptedLink link = new ScriptedLink();
        link.script.add(new CoordinatorLink.LinkException("POST /v1/reply failed: connection was closed", 0, null));
        link.script.add(new CoordinatorLink.Ack(200, "accepted", "accepted"));
        node(link).handle(STATS);
        assertThat(link.sent).hasSize(2);
        assertThat(link.sent.get(1)).isEqualTo(link.sent.get(0));
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.OK);
        assertThat(log).anyMatch(l -> l.contains("reply attempt 1 of 3 failed (POST /v1/reply failed: connection was closed), retrying"));
        assertThat(log).last().asString().contains("STATISTICS round 0 reply accepted");
    }

    @Test
    void undeliverableReplyIsLoggedNotSilentlyDropped() throws Exception {
        ScriptedLink link = new ScriptedLink();
        for (int i = 0; i < SiteNode.REPLY_ATTEMPTS; i++)
            link.script.add(new CoordinatorLink.LinkException("POST /v1/reply failed: connection refused", 0, null));
        node(link).handle(STATS);
        assertThat(link.sent).hasSize(SiteNode.REPLY_ATTEMPTS);
        assertThat(log).last().asString().contains("reply NOT delivered after 3 attempts")
                .contains("record this site as missing");
    }

    @Test
    void httpRefusalsAreNotRetried() throws Exception {
        ScriptedLink link = new ScriptedLink();
        link.script.add(new CoordinatorLink.Ack(409, "stale", "stale reply for STATISTICS round 0; current phase is TRAIN round 1"));
        node(link).handle(STATS);
        assertThat(link.sent).hasSize(1);
        assertThat(log).last().asString().contains("reply not accepted: HTTP 409 stale reply");
    }
}
