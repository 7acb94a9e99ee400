package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("C08 NaN / Inf in an update, and a strategy that produces a non-finite model")
class C08_NonFiniteUpdateTest {
    static final int P = 12;

    @Test
    @DisplayName("(a) B has NaN at 7 and +Inf at 9: rejected before aggregation, A and C aggregated, globals finite")
    void nonFiniteUpdateIsRejected() throws Exception {
        float[] bad = Federation.filled(P, 2f);
        bad[7] = Float.NaN;
        bad[9] = Float.POSITIVE_INFINITY;
        try (Federation fed = new Federation(Federation.policy(2, 3, 2, 10_000, 5_000), P)) {
            fed.site("A", 100).delta(1f);
            FakeSite b = fed.site("B", 50).delta(4f).onTrain(1, FakeSite.train(bad, 50));
            fed.site("C", 100).delta(3f);
            fed.start().await();

            ReplyOutcome o = b.outcome(org.fedehr.protocol.msg.TaskKind.TRAIN, 1);
            assertThat(o.httpStatus()).isEqualTo(422);
            assertThat(o.code()).isEqualTo("invalid_update");
            assertThat(o.message()).startsWith("non-finite update").contains("NaN at index 7").contains("Infinity at index 9");

            RoundRecord r1 = fed.round(1);
            assertThat(r1.failures()).singleElement().satisfies(f -> {
                assertThat(f.siteId()).isEqualTo("B");
                assertThat(f.reason()).isEqualTo("rejected update");
                assertThat(f.detail()).startsWith("non-finite update");
            });
            assertThat(r1.contributed()).isEqualTo(Map.of("A", 100.0, "C", 100.0));
            Checks.allEqual(fed.globals.get(0), P, 12f); // 10 + (100*1 + 100*3) / 200
            assertThat(fed.events).anyMatch(e -> e.startsWith("update rejected: site B round 1: non-finite update"));

            // round 2: B is back with a finite update; 12 + (100*1 + 50*4 + 100*3) / 250
            assertThat(fed.round(2).contributed()).containsOnlyKeys("A", "B", "C");
            Checks.allEqual(fed.globals.get(1), P, 14.4f);
            Checks.allFinite(fed.globals);
        }
    }

    @Test
    @DisplayName("a strategy returning a non-finite model: round failed, global unchanged and finite")
    void nonFiniteAggregateIsNotPublished() throws Exception {
        Strategy broken = new Strategy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
                float[] g = global.clone();
                g[3] = Float.NaN;
                return Aggregation.of(g);
            }
        };
        try (Federation fed = new Federation(Federation.policy(2, 2, 2, 10_000, 5_000), 5, broken)) {
            fed.site("A", 100);
            fed.site("B", 100);
            RunResult result = fed.start().await();
            assertThat(fed.round(1).updated()).isFalse();
            assertThat(fed.round(1).status()).startsWith("failed: aggregate not finite").contains("global model unchanged");
            Checks.allFinite(fed.globals);
            Checks.allEqual(result.finalGlobal(), 5, Federation.G0);
        }
    }
}
