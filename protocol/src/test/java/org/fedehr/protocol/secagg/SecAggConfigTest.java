package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Fixed-point parameters: validation, the scale formula by hand, and the no-overflow guarantee at the extremes. */
class SecAggConfigTest {

    @Test
    void constructorNamesTheBadParameter() {
        assertThatThrownBy(() -> new SecAggConfig(1, 1, 1, 1)).hasMessageContaining("threshold must be >= 2, was 1");
        assertThatThrownBy(() -> new SecAggConfig(2, 0, 1, 1)).hasMessageContaining("clipRange must be positive and finite, was 0.0");
        assertThatThrownBy(() -> new SecAggConfig(2, Double.POSITIVE_INFINITY, 1, 1)).hasMessageContaining("clipRange");
        assertThatThrownBy(() -> new SecAggConfig(2, 1, 0.5, 1)).hasMessageContaining("scale must be >= 1 and finite, was 0.5");
        assertThatThrownBy(() -> new SecAggConfig(2, 1, Double.NaN, 1)).hasMessageContaining("scale");
        assertThatThrownBy(() -> new SecAggConfig(2, 1, 1, 0)).hasMessageContaining("weightCap must be >= 1, was 0");
        assertThatThrownBy(() -> new SecAggConfig(2, 10, 1e9, 1)).hasMessageContaining("does not fit one signed 32-bit ring element");
    }

    @Test
    void chooseByHand() {
        // floor((2^31 - 1 - 10) / (10 · 100 · 1.0)) = floor(2147483637 / 1000) = 2147483
        SecAggConfig c = SecAggConfig.choose(10, 6, 1.0, 100, 1e-3);
        assertThat(c).isEqualTo(new SecAggConfig(6, 1.0, 2147483, 100));
        assertThat(c.step(1)).isEqualTo(1 / 2147483.0);
        assertThat(c.step(250)).isCloseTo(1 / (2147483.0 * 250), within(1e-18));
        assertThat(c.maxMeanError(10, 250)).isCloseTo(5 * c.step(250), within(1e-18));
        assertThat(c.maxSites()).isGreaterThanOrEqualTo(10);
        assertThatThrownBy(() -> c.step(0)).hasMessageContaining("totalWeight must be positive");
    }

    /** At the chosen scale, n sites at ±clipRange with weight cap sum to at most 2^31 - 1, for all n up to 255. */
    @Test
    void chosenScaleCannotOverflowAtTheExtremes() {
        for (int n = 2; n <= 255; n += 7) {
            for (int cap : new int[] {1, 7, 1000, 65_535}) {
                for (double clip : new double[] {0.01, 1.0, 8.0, 100.0}) {
                    SecAggConfig c;
                    try {
                        c = SecAggConfig.choose(n, 2, clip, cap, 10.0);
                    } catch (SecAggException refused) {
                        continue; // refused with a message is fine; a wrong number is not
                    }
                    long oneSite = Math.round(clip * cap * c.scale());
                    assertThat(n * oneSite).as("n=%d cap=%d clip=%s", n, cap, clip).isLessThanOrEqualTo(Integer.MAX_VALUE);
                    assertThat((long) n * cap).isLessThanOrEqualTo(Integer.MAX_VALUE);
                    assertThat(c.maxSites()).isGreaterThanOrEqualTo(Math.min(n, 255));
                }
            }
        }
    }
}
