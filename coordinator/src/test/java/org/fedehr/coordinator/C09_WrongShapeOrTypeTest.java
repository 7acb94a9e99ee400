package org.fedehr.coordinator;

import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy (documented in {@link org.fedehr.protocol.codec.ReplyEnvelope} and {@link org.fedehr.protocol.codec.ParamCodec}):
 * the manifest says flat float32 of the model's length. A float64 frame is refused, never converted; a JSON field
 * this protocol version does not know is refused (strict schema); another length is refused naming both lengths.
 * Every refusal is answered at once (400 for an undecodable reply, 422 for a decodable but invalid update) and
 * recorded as that site's "rejected update" for the round, so it is neither mistaken for silence nor partly summed.
 */
@DisplayName("C09 wrong shape or type: validated on receipt against the manifest (54 float32)")
class C09_WrongShapeOrTypeTest {
    static final int P = 54; // 10 -> 4 -> 2: 10*4 + 4 + 4*2 + 2

    @Test
    void onlyValidUpdatesEnterTheSum() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 5, 2, 10_000, 5_000), P)) {
            FakeSite a = fed.site("A", 100).delta(1f);
            FakeSite b = fed.site("B", 50).onTrain(1, (s, t) -> {
                s.sendBytes("TRAIN 1", FakeSite.asFloat64(s.update(t, Federation.filled(P, 100f), 50).encode()));
                return true;
            });
            FakeSite c = fed.site("C", 50).onTrain(1, FakeSite.train(Federation.filled(P - 1, 100f), 50));
            FakeSite d = fed.site("D", 50).onTrain(1, (s, t) -> {
                s.sendBytes("TRAIN 1", FakeSite.withJson(s.update(t, Federation.filled(P, 100f), 50).encode(),
                        j -> "{\"debug_note\":\"retry\"," + j.substring(1)));
                return true;
            });
            fed.site("E", 300).delta(5f);
            fed.start().await();

            ReplyOutcome ob = b.outcome(TaskKind.TRAIN, 1);
            assertThat(ob.httpStatus()).isEqualTo(400);
            assertThat(ob.code()).isEqualTo("bad_message");
            assertThat(ob.message()).contains("float64").contains("float32");
            ReplyOutcome oc = c.outcome(TaskKind.TRAIN, 1);
            assertThat(oc.httpStatus()).isEqualTo(422);
            assertThat(oc.message()).isEqualTo("update has 53 values, expected 54");
            ReplyOutcome od = d.outcome(TaskKind.TRAIN, 1);
            assertThat(od.httpStatus()).isEqualTo(400);
            assertThat(od.message()).contains("unknown field 'debug_note'");
            assertThat(b.decodeErrors).hasSize(1);
            assertThat(d.decodeErrors).hasSize(1);
            assertThat(a.decodeErrors).isEmpty();

            RoundRecord r = fed.round(1);
            assertThat(r.failures()).extracting(SiteFailure::siteId).containsExactly("B", "C", "D");
            assertThat(r.failures()).allSatisfy(f -> assertThat(f.reason()).isEqualTo("rejected update"));
            assertThat(r.failures().get(0).detail()).contains("float64");
            assertThat(r.failures().get(1).detail()).contains("53").contains("54");
            assertThat(r.failures().get(2).detail()).contains("debug_note");
            assertThat(r.contributed()).isEqualTo(Map.of("A", 100.0, "E", 300.0));
            // mean of the valid ones only: 10 + (100*1 + 300*5) / 400
            Checks.allEqual(fed.globals.get(0), P, 14f);
            // refusals are answers: the round closed when all five had replied, not after the 5 s grace
            assertThat(r.seconds()).isLessThan(4.0);
            assertThat(fed.events).anyMatch(e -> e.startsWith("malformed reply rejected: site B TRAIN round 1"));
        }
    }

    @Test
    @DisplayName("an undecodable reply for another round is refused but not charged to the open round")
    void malformedStaleReplyIsNotRecordedAgainstTheCurrentRound() throws Exception {
        byte[][] held = new byte[1][];
        try (Federation fed = new Federation(Federation.policy(2, 2, 2, 10_000, 5_000), P)) {
            fed.site("A", 100).delta(1f);
            FakeSite b = fed.site("B", 100).delta(3f)
                    .onTrain(1, (s, t) -> {
                        held[0] = FakeSite.asFloat64(s.update(t, Federation.filled(P, 3f), 100).encode());
                        return FakeSite.defaultAct(s, t);
                    })
                    .onTrain(2, (s, t) -> {
                        s.sendBytes("TRAIN 1 (late)", held[0]);
                        return FakeSite.defaultAct(s, t);
                    });
            fed.start().await();
            assertThat(b.outcomes.get("TRAIN 1 (late)")).singleElement().satisfies(o -> assertThat(o.httpStatus()).isEqualTo(400));
            assertThat(fed.round(2).failures()).isEmpty();
            assertThat(fed.round(2).contributed()).containsOnlyKeys("A", "B");
            Checks.allEqual(fed.globals.get(1), P, 14f); // 10 + 2 + 2
        }
    }
}
