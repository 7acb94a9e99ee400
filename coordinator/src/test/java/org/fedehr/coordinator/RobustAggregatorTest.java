package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** FedMedian, trimmed mean and Krum by hand; all unweighted, all refused under secure aggregation. */
class RobustAggregatorTest {
    private static SiteUpdate u(String site, double rows, float... d) {
        return new SiteUpdate(site, rows, d);
    }

    private static void close(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(1e-6));
    }

    @Test
    @DisplayName("median, odd n: A=[1,10], B=[2,−5], C=[100,0] -> [2, 0], whatever the row counts")
    void medianOdd() {
        List<SiteUpdate> ups = List.of(u("A", 1, 1f, 10f), u("B", 1000, 2f, -5f), u("C", 5, 100f, 0f));
        close(new FedMedian().aggregateTrain(1, new float[]{1f, 1f}, ups, List.of()).newGlobal(), 3, 1);
    }

    @Test
    @DisplayName("median, even n: adding D=[3,1] -> [(2+3)/2, (0+1)/2] = [2.5, 0.5]; arrival order irrelevant")
    void medianEven() {
        List<SiteUpdate> ups = new ArrayList<>(List.of(u("A", 1, 1f, 10f), u("B", 1, 2f, -5f), u("C", 1, 100f, 0f), u("D", 1, 3f, 1f)));
        float[] a = new FedMedian().aggregateTrain(1, new float[2], ups, List.of()).newGlobal();
        Collections.reverse(ups);
        float[] b = new FedMedian().aggregateTrain(1, new float[2], ups, List.of()).newGlobal();
        close(a, 2.5, 0.5);
        assertThat(b).containsExactly(a);
    }

    @Test
    @DisplayName("trimmed mean: β = 0.2 of 5 trims 1 each side: [1,2,3,4,1000] -> mean(2,3,4) = 3; β = 0.1 trims none -> 202")
    void trimmedMean() {
        List<SiteUpdate> ups = List.of(u("A", 1, 1f, -1f), u("B", 1, 2f, -2f), u("C", 1, 3f, -3f), u("D", 1, 4f, -4f),
                u("E", 1, 1000f, 50f));
        // second coordinate sorted [−4, −3, −2, −1, 50] -> mean(−3, −2, −1) = −2
        close(new TrimmedMean(0.2).aggregateTrain(1, new float[2], ups, List.of()).newGlobal(), 3, -2);
        close(new TrimmedMean(0.1).aggregateTrain(1, new float[2], ups, List.of()).newGlobal(), 202, 8);
        // 4 sites, β = 0.25: k = 1; [1,2,3,4] -> 2.5
        close(new TrimmedMean(0.25).aggregateTrain(1, new float[2], ups.subList(0, 4), List.of()).newGlobal(), 2.5, -2.5);
        assertThatThrownBy(() -> new TrimmedMean(0.5)).hasMessageContaining("trim_fraction must be in [0, 0.5), was 0.5");
    }

    @Test
    @DisplayName("trimmed mean that would trim everything fails the round with a reason")
    void trimmedMeanTooFew() {
        // β = 0.45 of 2 sites: k = 0, fine; of 3 sites k = 1 leaves 1: fine; always >= 1 left because β < 0.5
        close(new TrimmedMean(0.45).aggregateTrain(1, new float[1], List.of(u("A", 1, 1f), u("B", 1, 5f), u("C", 1, 9f)),
                List.of()).newGlobal(), 5);
    }

    /** A=[0], B=[1], C=[2], D=[3], E=[100] (E misbehaves); n = 5, f = 1: each score sums the 2 nearest squared distances. */
    static final List<SiteUpdate> KRUM = List.of(u("A", 1, 0f, 0f), u("B", 1, 1f, 0f), u("C", 1, 2f, 0f), u("D", 1, 3f, 0f),
            u("E", 1000, 100f, 0f));

    @Test
    @DisplayName("Krum: scores A 1+4=5, B 1+1=2, C 1+1=2, D 1+4=5, E 97²+98²=19013 -> B (tie with C, lower id)")
    void krum() {
        Krum k = new Krum(1, 1);
        List<float[]> deltas = KRUM.stream().map(SiteUpdate::delta).toList();
        assertThat(k.scores(deltas)).containsExactly(5, 2, 2, 5, 19013);
        close(k.aggregateTrain(1, new float[]{10f, 10f}, KRUM, List.of()).newGlobal(), 11, 10);
    }

    @Test
    @DisplayName("multi-Krum m = 2: mean(B, C) = 1.5; m = 3: mean(B, C, A) = 1 (A before D on the tie)")
    void multiKrum() {
        close(new Krum(1, 2).aggregateTrain(1, new float[2], KRUM, List.of()).newGlobal(), 1.5, 0);
        close(new Krum(1, 3).aggregateTrain(1, new float[2], KRUM, List.of()).newGlobal(), 1, 0);
    }

    @Test
    @DisplayName("Krum needs n >= 2f + 3; multi-Krum m <= n − f")
    void krumTooFewUpdates() {
        Aggregation a = new Krum(1, 1).aggregateTrain(1, new float[2], KRUM.subList(0, 4), List.of());
        assertThat(a.updated()).isFalse();
        assertThat(a.failureReason()).isEqualTo("krum: 4 updates, Krum with byzantine = 1 needs at least 5");
        assertThat(new Krum(1, 5).aggregateTrain(1, new float[2], KRUM, List.of()).failureReason())
                .contains("multi_krum = 5 exceeds the 4 updates");
        assertThat(new Krum(0, 1).aggregateTrain(1, new float[2], KRUM.subList(0, 3), List.of()).updated()).isTrue();
    }

    @Test
    @DisplayName("robust aggregators need individual updates: refused with secure aggregation, up front")
    void refusedUnderSecureAggregation() {
        for (Strategy s : List.of(new FedMedian(), new TrimmedMean(0.1), new Krum(1, 1))) {
            assertThat(s.worksOnMeans()).isFalse();
            assertThatThrownBy(() -> new RunSettings(java.util.UUID.randomUUID(), Federation.policy(1, 3, 2, 1000, 10), s,
                    Federation.PLAN, 7L, true, SecureAggregation.DEFAULTS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("strategy " + s.name() + " needs the individual updates")
                    .hasMessageContaining("turn secure aggregation off");
        }
    }

    @Test
    void noUpdates() {
        assertThat(new FedMedian().aggregateTrain(1, new float[1], List.of(), List.of()).failureReason()).isEqualTo("0 successful updates");
        assertThat(new FedMedian().aggregateTrain(1, new float[1], List.of(u("A", 0, 1f)), List.of()).failureReason()).isEqualTo("total weight 0");
    }
}
