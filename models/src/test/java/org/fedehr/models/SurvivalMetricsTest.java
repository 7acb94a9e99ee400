package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Harrell's C-index on hand cases. */
class SurvivalMetricsTest {

    private static final float[] TIMES = {1, 2, 3};
    private static final float[] ALL_EVENTS = {1, 1, 1};

    @Test
    void allConcordantIsOneAndReversedIsZero() {
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {3, 2, 1}, TIMES, ALL_EVENTS)).isEqualTo(1.0);
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {1, 2, 3}, TIMES, ALL_EVENTS)).isEqualTo(0.0);
    }

    @Test
    void tiedRisksCountOneHalf() {
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {1, 1, 1}, TIMES, ALL_EVENTS)).isEqualTo(0.5);
        // pairs (0,1) concordant, (0,2) concordant, (1,2) tied: (2 + 0.5) / 3
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {5, 1, 1}, TIMES, ALL_EVENTS)).isEqualTo(2.5 / 3);
    }

    @Test
    void pairsWhoseEarlierMemberIsCensoredAreExcluded() {
        // row 0 censored at t=1 with the lowest risk: counting its pairs would add two discordant pairs
        float[] risk = {-5, 2, 1};
        float[] events = {0, 1, 1};
        SurvivalMetrics.Concordance c = SurvivalMetrics.concordance(risk, TIMES, events);
        assertThat(c.comparable()).isEqualTo(1);   // only (1, 2)
        assertThat(c.index()).isEqualTo(1.0);
    }

    @Test
    void handExampleWithCensoringAndTies() {
        // times (1,3,2,4), events (1,0,1,1), risks (0.9,0.5,0.5,0.1): comparable pairs (0,1) (0,2) (0,3) concordant,
        // (2,1) risk tie (1/2), (2,3) concordant; row 1 censored, row 3 last: (4 + 0.5) / 5
        Double c = SurvivalMetrics.concordanceIndex(new float[] {0.9f, 0.5f, 0.5f, 0.1f}, new float[] {1, 3, 2, 4},
                new float[] {1, 0, 1, 1});
        assertThat(c).isEqualTo(0.9);
    }

    @Test
    void tiedTimes() {
        // an event and a censored row at the same time: comparable (the censored row outlived the event)
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {1, 0}, new float[] {2, 2}, new float[] {1, 0})).isEqualTo(1.0);
        // two events at the same time: not comparable, so no pair at all
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {1, 0}, new float[] {2, 2}, new float[] {1, 1})).isNull();
        assertThat(SurvivalMetrics.concordanceIndex(new float[] {1, 0}, new float[] {2, 3}, new float[] {0, 0})).isNull();
    }

    @Test
    void badInputIsRefusedByIndex() {
        assertThatThrownBy(() -> SurvivalMetrics.concordanceIndex(new float[] {1}, new float[] {1}, new float[] {2}))
                .hasMessage("event[0] must be 0 or 1");
        assertThatThrownBy(() -> SurvivalMetrics.concordanceIndex(new float[] {1, Float.NaN}, new float[] {1, 2}, new float[] {1, 0}))
                .hasMessage("risk[1] must not be NaN");
        assertThatThrownBy(() -> SurvivalMetrics.concordanceIndex(new float[] {1}, new float[] {1, 2}, new float[] {1}))
                .hasMessageContaining("same length");
    }
}
