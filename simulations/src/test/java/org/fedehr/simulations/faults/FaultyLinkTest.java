package org.fedehr.simulations.faults;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.net.NetworkFailure;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.CoordinatorLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a site's link does under a fault plan, against a scripted coordinator (no network, no timing races). */
@Timeout(20)
class FaultyLinkTest {
    static final UUID RUN = UUID.randomUUID();

    /** A coordinator that has published a fixed sequence of instructions and records what the site sends. */
    static final class Script implements CoordinatorLink {
        final List<TaskInstruction> tasks = new ArrayList<>();
        final List<String> replies = new ArrayList<>();
        int registrations;

        void add(int round, TaskKind kind) {
            tasks.add(new TaskInstruction(RUN, tasks.size() + 1, round, kind, null, null, -1, 0,
                    kind == TaskKind.TRAIN ? new org.fedehr.protocol.msg.TrainingPlan(1, 0, 4, "sgd", 0.1) : null, 1, 0));
        }

        @Override
        public RegisterResponse register(String siteId) {
            registrations++;
            return new RegisterResponse(RUN, siteId, "token", 1000);
        }

        @Override
        public Optional<TaskInstruction> nextTask(long afterSeq) {
            return tasks.stream().filter(t -> t.taskSeq() > afterSeq).findFirst();
        }

        @Override
        public ParamFrame model(int version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FeatureStatistics statistics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Ack reply(ReplyEnvelope envelope) {
            replies.add(envelope.reply().kind() + " " + envelope.reply().round());
            return new Ack(200, "accepted", "accepted");
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public long bytesReceived() {
            return 0;
        }
    }

    static ReplyEnvelope replyTo(TaskInstruction t) {
        return new ReplyEnvelope(SiteReply.to(t, "C").refused("test"), null);
    }

    @Test
    void crashRejoinPartitionStragglerAndDuplicateAsPlanned() throws Exception {
        Script coordinator = new Script();
        coordinator.add(0, TaskKind.STATISTICS);                                  // seq 1
        for (int r = 1; r <= 6; r++) {
            coordinator.add(r, TaskKind.TRAIN);                                   // seq 2r
            if (r < 6) coordinator.add(r, TaskKind.EVALUATE);                     // seq 2r+1
        }
        coordinator.add(6, TaskKind.FINISHED);                                    // seq 13
        FaultSpec spec = new FaultSpec(null, null,
                new FaultSpec.Stragglers(FaultSpec.Distribution.FIXED, 0.3, 0, 0, 0, 1, List.of("C"), List.of(6)),
                List.of(new FaultSpec.Crash("C", 2, 4)), List.of(new FaultSpec.NetworkPartition("C", 5, 1)), List.of(), List.of(),
                List.of(new FaultSpec.SiteRounds("C", List.of(6))));
        List<String> log = new ArrayList<>();
        FaultyLink link = new FaultyLink("C", coordinator, new FaultPlan(spec, 1, List.of("A", "C"), 6), (s, m) -> log.add(m));

        assertThat(link.nextTask(0).orElseThrow().kind()).isEqualTo(TaskKind.STATISTICS);
        TaskInstruction t1 = link.nextTask(1).orElseThrow();
        assertThat(link.reply(replyTo(t1)).ok()).isTrue();
        assertThat(link.nextTask(2).orElseThrow().taskSeq()).isEqualTo(3);
        // round 2: C takes the TRAIN instruction, then its connection is cut: every send of the round fails in transport
        TaskInstruction t2 = link.nextTask(3).orElseThrow();
        assertThat(t2.round()).isEqualTo(2);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> link.reply(replyTo(t2))).isInstanceOfSatisfying(CoordinatorLink.LinkException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.failure()).isEqualTo(NetworkFailure.CONNECTION_RESET);
            });
        }
        // down: EVALUATE 2, TRAIN 3 and EVALUATE 3 are never heard; at round 4 C registers again and takes TRAIN 4
        assertThat(coordinator.registrations).isZero();
        TaskInstruction t4 = link.nextTask(4).orElseThrow();
        assertThat(t4.taskSeq()).isEqualTo(8);
        assertThat(t4.round()).isEqualTo(4);
        assertThat(coordinator.registrations).isEqualTo(1);
        assertThat(link.reply(replyTo(t4)).ok()).isTrue();
        assertThat(link.nextTask(8).orElseThrow().taskSeq()).isEqualTo(9);
        // round 5: partitioned: both of its instructions are lost with a transport error, then round 6 comes through
        for (int i = 0; i < 2; i++)
            assertThatThrownBy(() -> link.nextTask(9)).isInstanceOfSatisfying(CoordinatorLink.LinkException.class, e -> {
                assertThat(e.status()).isZero();
                assertThat(e.failure()).isEqualTo(NetworkFailure.NO_ROUTE);
            });
        TaskInstruction t6 = link.nextTask(9).orElseThrow();
        assertThat(t6.round()).isEqualTo(6);
        // round 6: the TRAIN reply is held back 0.3 s, then sent twice
        long start = System.nanoTime();
        assertThat(link.reply(replyTo(t6)).ok()).isTrue();
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(290);
        assertThat(link.nextTask(12).orElseThrow().kind()).isEqualTo(TaskKind.FINISHED);
        // what reached the coordinator: round 1, round 4, and round 6 twice; nothing of rounds 2, 3 and 5
        assertThat(coordinator.replies).containsExactly("TRAIN 1", "TRAIN 4", "TRAIN 6", "TRAIN 6");
        assertThat(log).anyMatch(m -> m.contains("crash in round 2")).anyMatch(m -> m.contains("registering again for round 4"))
                .anyMatch(m -> m.contains("TRAIN round 6 reply sent twice"));
    }

    @Test
    void dropoutCutsOnlyItsRound() throws Exception {
        Script coordinator = new Script();
        coordinator.add(1, TaskKind.TRAIN);
        coordinator.add(1, TaskKind.EVALUATE);
        coordinator.add(2, TaskKind.TRAIN);
        FaultSpec spec = new FaultSpec(null, new FaultSpec.Dropout(1.0, List.of("C"), 1), null, List.of(), List.of(), List.of(), List.of(), List.of());
        FaultyLink link = new FaultyLink("C", coordinator, new FaultPlan(spec, 1, List.of("A", "C"), 1), null);
        TaskInstruction t1 = link.nextTask(0).orElseThrow();
        assertThatThrownBy(() -> link.reply(replyTo(t1))).isInstanceOf(CoordinatorLink.LinkException.class)
                .hasMessage("injected fault: connection cut in round 1: connection reset");
        // the rest of round 1 is lost; round 2 lies after the plan's last round: nothing is injected there
        TaskInstruction next = link.nextTask(1).orElseThrow();
        assertThat(next.round()).isEqualTo(2);
        assertThat(link.reply(replyTo(next)).ok()).isTrue();
        assertThat(coordinator.replies).containsExactly("TRAIN 2");
    }
}
