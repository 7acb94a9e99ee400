package org.fedehr.coordinator;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The coordinator's audit sink sees every instruction it publishes and every reply it receives, a counted one once. */
class CoordinatorAuditTest {
    static final int P = 4;

    @Test
    void instructionsSentAndRepliesReceivedAreRecordedDuplicatesOnce() throws Exception {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        try (Federation fed = new Federation(Federation.policy(2, 2, 2, 10_000, 1_000), P)) {
            fed.run.audit(events::add);
            fed.site("A", 100).delta(1f).onTrain(2, (s, t) -> {
                s.send(s.update(t, Federation.filled(P, 1f), 100));
                s.send(s.update(t, Federation.filled(P, 1f), 100)); // a resent copy
                return true;
            });
            fed.site("B", 100).delta(2f);
            fed.start().await();
        }
        assertThat(events).allSatisfy(e -> assertThat(e.party()).isEqualTo("coordinator"));
        List<AuditEvent> aTrain = events.stream().filter(e -> e.peer().equals("A") && e.kind() == AuditKind.TRAIN).toList();
        assertThat(aTrain).extracting(AuditEvent::round).containsExactly(1, 2);
        assertThat(aTrain).allSatisfy(e -> assertThat(e.direction()).isEqualTo(AuditEvent.Direction.RECEIVED));
        long tasksToB = events.stream().filter(e -> e.peer().equals("B") && e.kind() == AuditKind.TASK).count();
        long repliesFromB = events.stream().filter(e -> e.peer().equals("B") && e.direction() == AuditEvent.Direction.RECEIVED).count();
        assertThat(tasksToB).as("every instruction, FINISHED included, is one more than the replies").isEqualTo(repliesFromB + 1);
        assertThat(events.stream().filter(e -> e.kind() == AuditKind.TASK).map(AuditEvent::note))
                .contains("instruction STATISTICS (task 1)").anyMatch(n -> n.startsWith("instruction FINISHED"));
    }
}
