package org.fedehr.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Small assertions shared by the case tests. */
final class Checks {
    static final float EPS = 1e-5f;

    private Checks() {
    }

    /** Every value of {@code v} is finite and equal to {@code expected} (within {@link #EPS}). */
    static void allEqual(float[] v, int length, float expected) {
        assertThat(v).hasSize(length);
        for (int i = 0; i < v.length; i++) {
            assertThat(Float.isFinite(v[i])).as("finite at index %d", i).isTrue();
            assertThat(v[i]).as("index %d", i).isCloseTo(expected, within(EPS));
        }
    }

    static void allFinite(Iterable<float[]> globals) {
        int r = 0;
        for (float[] g : globals) {
            r++;
            for (int i = 0; i < g.length; i++)
                assertThat(Float.isFinite(g[i])).as("global after round %d, index %d", r, i).isTrue();
        }
    }
}
