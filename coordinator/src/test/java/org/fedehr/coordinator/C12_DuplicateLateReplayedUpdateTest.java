package org.fedehr.coordinator;

import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("C12 duplicate, late or replayed update: counted once, stale and other-run refused with 409")
class C12_DuplicateLateReplayedUpdateTest {
    static final int P = 4;

    @Test
    void noUpdateIsCountedTwice() throws Exception {
        AtomicReference<byte[]> heldRound2 = new AtomicReference<>();
        UUID otherRun = UUID.randomUUID();
        try (Federation fed = new Federation(Federation.policy(3, 3, 2, 10_000, 1_000), P)) {
            FakeSite a = fed.site("A", 100).delta(1f).onTrain(3, (s, t) -> {
                s.send(s.update(t, Federation.filled(P, 1f), 100));
                s.send(s.update(t, Federation.filled(P, 100f), 100)); // a second copy; must be ignored
                return true;
            });
            FakeSite b = fed.site("B", 100).delta(4f)
                    .onTrain(2, (s, t) -> { // trains but its upload is late: it arrives during round 3
                        heldRound2.set(s.update(t, Federation.filled(P, 50f), 100).encode());
                        return true;
                    })
                    .onTrain(3, (s, t) -> {
                        s.sendBytes("TRAIN 2 (late)", heldRound2.get());
                        return FakeSite.defaultAct(s, t);
                    });
            FakeSite c = fed.site("C", 100).delta(7f).onTrain(3, (s, t) -> {
                TaskInstruction replay = new TaskInstruction(otherRun, t.taskSeq(), t.round(), t.kind(), t.modelDigest(),
                        t.modelSpecJson(), t.modelVersion(), t.paramCount(), t.training(), t.seed(), t.deadlineEpochMs());
                s.sendBytes("TRAIN 3 (other run)", s.update(replay, Federation.filled(P, 70f), 100).encode());
                return FakeSite.defaultAct(s, t);
            });
            fed.start().await();

            List<ReplyOutcome> aCopies = a.outcomes.get("TRAIN 3");
            assertThat(aCopies).extracting(ReplyOutcome::code).containsExactly("accepted", "duplicate");
            assertThat(aCopies.get(1).httpStatus()).as("idempotent: the retry is answered 200").isEqualTo(200);
            assertThat(fed.events).contains("duplicate reply ignored: site A TRAIN round 3");

            assertThat(b.outcomes.get("TRAIN 2 (late)")).singleElement().satisfies(o -> {
                assertThat(o.httpStatus()).isEqualTo(409);
                assertThat(o.code()).isEqualTo("stale");
                assertThat(o.message()).contains("round 2").contains("round 3");
            });
            assertThat(b.outcome(TaskKind.TRAIN, 3).code()).isEqualTo("accepted");
            assertThat(fed.events).anyMatch(e -> e.startsWith("stale reply refused: site B sent TRAIN round 2"));
            assertThat(fed.round(3).lateReplies()).containsExactly("B: TRAIN round 2 arrived during TRAIN round 3");
            assertThat(fed.round(2).lateReplies()).isEmpty();

            assertThat(c.outcomes.get("TRAIN 3 (other run)")).singleElement().satisfies(o -> {
                assertThat(o.httpStatus()).isEqualTo(409);
                assertThat(o.code()).isEqualTo("other_run");
                assertThat(o.message()).contains(otherRun.toString());
            });

            // round 1: all, mean delta 4 -> 14; round 2: B late, A and C -> 18; round 3: all once -> 22
            Checks.allEqual(fed.globals.get(0), P, 14f);
            assertThat(fed.round(2).status()).startsWith("completed with 1 failure (B: timeout");
            Checks.allEqual(fed.globals.get(1), P, 18f);
            RoundRecord r3 = fed.round(3);
            assertThat(r3.contributed()).isEqualTo(Map.of("A", 100.0, "B", 100.0, "C", 100.0));
            assertThat(r3.failures()).isEmpty();
            Checks.allEqual(fed.globals.get(2), P, 22f);
        }
    }

    /** The exact bytes A uploaded in an earlier run, replayed into a new run, are refused and never counted. */
    @Test
    void updateCapturedFromAnEarlierRunIsRefusedWhenReplayed() throws Exception {
        AtomicReference<byte[]> captured = new AtomicReference<>();
        UUID firstRun;
        try (Federation first = new Federation(Federation.policy(1, 2, 2, 10_000, 500), P)) {
            firstRun = first.runId;
            first.site("A", 100).delta(1f).onTrain(1, (s, t) -> {
                byte[] bytes = s.update(t, Federation.filled(P, 1f), 100).encode();
                captured.set(bytes);
                s.sendBytes("TRAIN 1", bytes);
                return true;
            });
            first.site("B", 100).delta(3f);
            first.start().await();
            Checks.allEqual(first.globals.get(0), P, 12f);
        }
        try (Federation second = new Federation(Federation.policy(1, 2, 2, 10_000, 500), P)) {
            // an attacker (or a confused site) replays the captured upload before sending its real one
            FakeSite a = second.site("A", 100).delta(5f).onTrain(1, (s, t) -> {
                s.sendBytes("TRAIN 1 (replay)", captured.get());
                return FakeSite.defaultAct(s, t);
            });
            second.site("B", 100).delta(3f);
            second.start().await();
            assertThat(a.outcomes.get("TRAIN 1 (replay)")).singleElement().satisfies(o -> {
                assertThat(o.httpStatus()).isEqualTo(409);
                assertThat(o.code()).isEqualTo("other_run");
                assertThat(o.message()).contains(firstRun.toString());
            });
            assertThat(a.outcome(TaskKind.TRAIN, 1).code()).isEqualTo("accepted");
            // (5 + 3) / 2 = 4 on top of 10: the replayed delta of 1 never entered
            Checks.allEqual(second.globals.get(0), P, 14f);
            assertThat(second.round(1).contributed()).isEqualTo(Map.of("A", 100.0, "B", 100.0));
        }
    }
}
