package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@DisplayName("FedAvg: weighted mean of deltas, weights n_X / Σn, applied to the global model")
class FedAvgTest {
    private static final float EPS = 1e-6f;

    private static void assertValues(float[] actual, float... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++)
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(EPS));
    }

    @Test
    void weightedMeanOfDeltasIsAddedToTheGlobal() {
        float[] global = {1f, 2f, 3f};
        // weights 1/4 and 3/4: 0.25*[3,0,-3] + 0.75*[-1,4,1] = [0, 3, 0]
        List<SiteUpdate> updates = List.of(new SiteUpdate("A", 1, new float[]{3f, 0f, -3f}),
                new SiteUpdate("B", 3, new float[]{-1f, 4f, 1f}));
        Aggregation agg = new FedAvg().aggregateTrain(1, global, updates, List.of());
        assertThat(agg.updated()).isTrue();
        assertThat(agg.failureReason()).isNull();
        assertValues(agg.newGlobal(), 1f, 5f, 3f);
        assertThat(global).as("input global is not modified").containsExactly(1f, 2f, 3f);
    }

    @Test
    void resultDoesNotDependOnArrivalOrder() {
        List<SiteUpdate> updates = new ArrayList<>(List.of(new SiteUpdate("A", 100, new float[]{0.1f, 0.7f}),
                new SiteUpdate("B", 50, new float[]{0.3f, -0.2f}), new SiteUpdate("C", 7, new float[]{1e-3f, 9f})));
        float[] forward = new FedAvg().aggregateTrain(1, new float[]{0f, 0f}, updates, List.of()).newGlobal();
        Collections.reverse(updates);
        float[] backward = new FedAvg().aggregateTrain(1, new float[]{0f, 0f}, updates, List.of()).newGlobal();
        assertThat(backward).containsExactly(forward);
        // (100*0.1 + 50*0.3 + 7*0.001) / 157 and (100*0.7 - 50*0.2 + 7*9) / 157
        assertValues(forward, (float) (25.007 / 157), (float) (123.0 / 157));
    }

    @Test
    @DisplayName("C06 without masking: n = 10/30/60, deltas 1/2/4 -> 3.1")
    void threeSitesWeightedByRows() {
        List<SiteUpdate> updates = List.of(new SiteUpdate("A", 10, Federation.filled(4, 1f)),
                new SiteUpdate("B", 30, Federation.filled(4, 2f)), new SiteUpdate("C", 60, Federation.filled(4, 4f)));
        assertValues(new FedAvg().aggregateTrain(1, new float[4], updates, List.of()).newGlobal(), 3.1f, 3.1f, 3.1f, 3.1f);
    }

    @Test
    void serverLearningRateScalesTheMeanDelta() {
        List<SiteUpdate> updates = List.of(new SiteUpdate("A", 1, new float[]{3f, 0f, -3f}),
                new SiteUpdate("B", 3, new float[]{-1f, 4f, 1f}));
        assertValues(new FedAvg(0.5).aggregateTrain(1, new float[]{1f, 2f, 3f}, updates, List.of()).newGlobal(), 1f, 3.5f, 3f);
    }

    @Test
    void noUpdatesMeansNoNewModel() {
        Aggregation agg = new FedAvg().aggregateTrain(1, new float[]{1f}, List.of(),
                List.of(new SiteFailure("A", "timeout", null)));
        assertThat(agg.updated()).isFalse();
        assertThat(agg.newGlobal()).isNull();
        assertThat(agg.failureReason()).isEqualTo("0 successful updates");
    }

    @Test
    @DisplayName("total weight 0: no update, no division by zero, no NaN")
    void totalWeightZeroMeansNoNewModel() {
        List<SiteUpdate> updates = List.of(new SiteUpdate("A", 0, new float[]{1f, 1f}),
                new SiteUpdate("B", 0, new float[]{2f, 2f}));
        Aggregation agg = new FedAvg().aggregateTrain(1, new float[]{1f, 2f}, updates, List.of());
        assertThat(agg.updated()).isFalse();
        assertThat(agg.failureReason()).contains("total weight 0");
    }

    @Test
    void anAggregateThatOverflowsIsRefusedNotPublished() {
        List<SiteUpdate> updates = List.of(new SiteUpdate("A", 1, new float[]{0f, Float.MAX_VALUE}));
        Aggregation agg = new FedAvg(2.0).aggregateTrain(1, new float[]{0f, 0f}, updates, List.of());
        assertThat(agg.updated()).isFalse();
        assertThat(agg.failureReason()).contains("not finite").contains("index 1");
    }

    @Test
    void updatesOfTheWrongLengthAreAProgrammingErrorNamingTheSite() {
        List<SiteUpdate> updates = List.of(new SiteUpdate("B", 1, new float[]{1f}));
        assertThatThrownBy(() -> new FedAvg().aggregateTrain(1, new float[]{0f, 0f}, updates, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("site B").hasMessageContaining("length 1, expected 2");
    }

    @Test
    void serverLearningRateMustBePositiveAndFinite() {
        assertThatThrownBy(() -> new FedAvg(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server_learning_rate");
        assertThatThrownBy(() -> new FedAvg(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FedAvg(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FedAvg(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
