package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("C02 failures are visible; all sites failing is detected before aggregation")
class C02_SiteFailuresTest {
    static final int P = 4;

    @Test
    @DisplayName("(a) B's trainer throws: B is a failure carrying its error class; quorum 2 passes")
    void oneTrainerThrows() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).delta(50f).onTrain(1, FakeSite.fail(new IllegalStateException("trainer exploded")));
            fed.site("C", 100).delta(3f);
            fed.start().await();

            RoundRecord r = fed.round(1);
            assertThat(r.failures()).singleElement().satisfies(f -> {
                assertThat(f.siteId()).isEqualTo("B");
                assertThat(f.reason()).isEqualTo("site error");
                assertThat(f.detail()).contains("java.lang.IllegalStateException");
            });
            assertThat(r.status()).startsWith("completed with 1 failure (B: site error (java.lang.IllegalStateException");
            assertThat(r.contributed()).isEqualTo(Map.of("A", 100.0, "C", 100.0));
            Checks.allEqual(fed.globals.get(0), P, 12f); // 10 + (100*1 + 100*3) / 200
            // a failure reply is an answer: the round did not wait out the 5 s grace for B
            assertThat(r.seconds()).isLessThan(4.0);
        }
    }

    @Test
    @DisplayName("(a) with quorum 3 the same failure fails the round, visibly")
    void oneTrainerThrowsBelowQuorum() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 3, 10_000, 5_000), P)) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).onTrain(1, FakeSite.fail(new IllegalStateException("trainer exploded")));
            fed.site("C", 100).delta(3f);
            fed.start().await();

            RoundRecord r = fed.round(1);
            assertThat(r.updated()).isFalse();
            assertThat(r.status()).startsWith("failed: 2 successful updates, quorum is 3")
                    .contains("B: site error (java.lang.IllegalStateException");
            Checks.allEqual(fed.globals.get(0), P, Federation.G0);
        }
    }

    @Test
    @DisplayName("(b) all three throw: '0 successful updates', round failed, global unchanged, all still selected")
    void allTrainersThrow() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 10_000, 5_000), P)) {
            fed.site("A", 100).onTrain(1, FakeSite.fail(new IllegalStateException("a")));
            fed.site("B", 50).onTrain(1, FakeSite.fail(new ArithmeticException("/ by zero")));
            fed.site("C", 100).onTrain(1, FakeSite.fail(new OutOfMemoryError("Java heap space")));
            RunResult result = fed.start().await();

            RoundRecord r = fed.round(1);
            assertThat(r.selected()).containsExactly("A", "B", "C");
            assertThat(r.updated()).isFalse();
            assertThat(r.contributed()).isEmpty();
            assertThat(r.status()).startsWith("failed: 0 successful updates").contains("3 failures");
            assertThat(r.failures()).extracting(SiteFailure::siteId).containsExactlyInAnyOrder("A", "B", "C");
            assertThat(r.failures()).extracting(SiteFailure::detail).anySatisfy(d -> assertThat(d).startsWith("java.lang.IllegalStateException"))
                    .anySatisfy(d -> assertThat(d).startsWith("java.lang.ArithmeticException"))
                    .anySatisfy(d -> assertThat(d).startsWith("java.lang.OutOfMemoryError"));
            Checks.allEqual(fed.globals.get(0), P, Federation.G0);
            Checks.allEqual(result.finalGlobal(), P, Federation.G0);
        }
    }
}
