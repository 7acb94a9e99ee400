package org.fedehr.protocol.stats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Merging per-site aggregates into the federation's global statistics, against hand-computed values. */
class FeatureStatisticsTest {

    /** Site A saw age 1, 2, 3 and cp x, x, y; site B saw age 5, 9 and one missing, and cp y, y, y, z and one missing. */
    static FeatureStatistics siteA() {
        NumericSummary age = NumericSummary.EMPTY.with(1).with(2).with(3);
        CategoricalSummary cp = CategoricalSummary.EMPTY.with("x").with("x").with("y");
        return new FeatureStatistics(3, new TreeMap<>(Map.of("age", age)), new TreeMap<>(Map.of("cp", cp)));
    }

    static FeatureStatistics siteB() {
        NumericSummary age = NumericSummary.EMPTY.with(5).with(9).withMissing();
        CategoricalSummary cp = CategoricalSummary.EMPTY.with("y").with("y").with("y").with("z").withMissing();
        return new FeatureStatistics(5, new TreeMap<>(Map.of("age", age)), new TreeMap<>(Map.of("cp", cp)));
    }

    @Test
    void mergedMeanAndStdAreTheGlobalOnesComputedByHand() {
        FeatureStatistics g = FeatureStatistics.merge(List.of(siteA(), siteB()));
        assertThat(g.rows()).isEqualTo(8);
        NumericSummary age = g.numeric().get("age");
        // values 1,2,3,5,9: n = 5, sum = 20, sum of squares = 1+4+9+25+81 = 120, one missing
        assertThat(age.count()).isEqualTo(5);
        assertThat(age.sum()).isEqualTo(20.0);
        assertThat(age.sumSquares()).isEqualTo(120.0);
        assertThat(age.missing()).isEqualTo(1);
        assertThat(age.mean()).isEqualTo(4.0);
        // sample variance = (120 - 20^2/5) / (5 - 1) = 10
        assertThat(age.sampleStd()).isCloseTo(Math.sqrt(10), within(1e-12));
        // neither site's own mean (2 and 7) is the global one
        assertThat(siteA().numeric().get("age").mean()).isEqualTo(2.0);
        assertThat(siteB().numeric().get("age").mean()).isEqualTo(7.0);

        CategoricalSummary cp = g.categorical().get("cp");
        assertThat(cp.counts()).containsExactly(Map.entry("x", 2L), Map.entry("y", 4L), Map.entry("z", 1L));
        assertThat(cp.missing()).isEqualTo(1);
        assertThat(cp.total()).isEqualTo(7);
    }

    @Test
    void mergeIsOrderIndependentAndEmptyMergeHasZeroRows() {
        assertThat(FeatureStatistics.merge(List.of(siteB(), siteA()))).isEqualTo(FeatureStatistics.merge(List.of(siteA(), siteB())));
        FeatureStatistics none = FeatureStatistics.merge(List.of());
        assertThat(none.rows()).isZero();
        assertThat(none.numeric()).isEmpty();
    }

    @Test
    void fewerThanTwoValuesGiveStdZeroNotNaN() {
        assertThat(NumericSummary.EMPTY.sampleStd()).isZero();
        assertThat(NumericSummary.EMPTY.mean()).isZero();
        assertThat(NumericSummary.EMPTY.with(42).sampleStd()).isZero();
    }

    @Test
    void invalidAggregatesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new NumericSummary(-1, 0, 0, 0)).hasMessageContaining("count must be >= 0, was -1");
        assertThatThrownBy(() -> new NumericSummary(1, Double.NaN, 0, 0)).hasMessageContaining("sum must be finite");
        assertThatThrownBy(() -> new FeatureStatistics(-3, null, null)).hasMessageContaining("rows must be >= 0, was -3");
        assertThatThrownBy(() -> new CategoricalSummary(new TreeMap<>(Map.of("a", -2L)), 0))
                .hasMessageContaining("count of category 'a' must be >= 0, was -2");
    }
}
