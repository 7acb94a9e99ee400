package org.fedehr.simulations.partition;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Partitioners: properties that can be checked by hand, and exact assignments pinned for fixed seeds. */
class PartitionersTest {

    /** 500 rows of label 0 then 500 of label 1. */
    static float[] labels() {
        float[] y = new float[1000];
        for (int i = 500; i < 1000; i++) y[i] = 1;
        return y;
    }

    /** {label-0 count, label-1 count} per site. */
    static int[][] counts(List<int[]> parts, float[] y) {
        int[][] out = new int[parts.size()][2];
        for (int s = 0; s < parts.size(); s++) for (int i : parts.get(s)) out[s][(int) y[i]]++;
        return out;
    }

    static void everyIndexExactlyOnce(List<int[]> parts, int n) {
        int[] seen = new int[n];
        for (int[] p : parts) {
            for (int i = 1; i < p.length; i++) assertThat(p[i]).as("sorted").isGreaterThan(p[i - 1]);
            for (int i : p) seen[i]++;
        }
        for (int i = 0; i < n; i++) assertThat(seen[i]).as("row " + i + " assigned once").isEqualTo(1);
    }

    @Test
    void iidSizesDifferByAtMostOneAndEveryRowIsAssignedOnce() {
        List<int[]> parts = Partitioners.iid(103, 10, 7);
        // 103 = 10 x 10 + 3: the first three sites hold 11 rows, the others 10
        assertThat(parts.stream().mapToInt(p -> p.length).toArray()).containsExactly(11, 11, 11, 10, 10, 10, 10, 10, 10, 10);
        everyIndexExactlyOnce(parts, 103);
        // seeded: same seed, same partition; another seed, another one
        assertThat(Partitioners.iid(103, 10, 7)).usingRecursiveFieldByFieldElementComparator().isEqualTo(parts);
        assertThat(Arrays.equals(Partitioners.iid(103, 10, 8).get(0), parts.get(0))).isFalse();
    }

    @Test
    void largestRemainderIsHamiltonsMethod() {
        // quotas 100 x (1, 1/2, 1/3, 1/4) / (25/12) = 48, 24, 16, 12 exactly
        assertThat(Partitioners.largestRemainder(new double[]{1, 1.0 / 2, 1.0 / 3, 1.0 / 4}, 100)).containsExactly(48, 24, 16, 12);
        // 10 / 3 = 3.33 each: floors 3, 3, 3; the one row left goes to the lowest index among equal remainders
        assertThat(Partitioners.largestRemainder(new double[]{1, 1, 1}, 10)).containsExactly(4, 3, 3);
        // quotas 3.6, 3.6, 2.8: floors 3, 3, 2 (8); remainders .6, .6, .8 → sites 3 and 1 get one more
        assertThat(Partitioners.largestRemainder(new double[]{0.36, 0.36, 0.28}, 10)).containsExactly(4, 3, 3);
    }

    @Test
    void quantitySkewWithAPowerLawHasTheHandComputedSizes() {
        // shares 1, 1/2, 1/3, 1/4 → 48, 24, 16, 12 of 100 rows
        List<int[]> parts = Partitioners.quantityPower(100, 4, 1.0, 0, 3);
        assertThat(parts.stream().mapToInt(p -> p.length).toArray()).containsExactly(48, 24, 16, 12);
        everyIndexExactlyOnce(parts, 100);
        // min_rows 5: 80 rows by quota (38.4, 19.2, 12.8, 9.6 → 38, 19, 13, 10) plus 5 each
        assertThat(Partitioners.quantityPower(100, 4, 1.0, 5, 3).stream().mapToInt(p -> p.length).toArray())
                .containsExactly(43, 24, 18, 15);
        // γ = 0 is equal sizes
        assertThat(Partitioners.quantityPower(100, 4, 0.0, 0, 3).stream().mapToInt(p -> p.length).toArray())
                .containsExactly(25, 25, 25, 25);
        assertThatThrownBy(() -> Partitioners.quantityPower(10, 4, 1.0, 3, 3))
                .hasMessage("min_rows 3 × 4 sites = 12 exceeds the 10 rows to partition");
    }

    @Test
    void quantitySkewWithDirichletSizesKeepsTheMinimumAndIsPinnedForItsSeed() {
        List<int[]> parts = Partitioners.quantityDirichlet(1000, 5, 1.0, 10, 7);
        assertThat(parts.stream().mapToInt(p -> p.length).toArray()).containsExactly(223, 236, 333, 30, 178);
        everyIndexExactlyOnce(parts, 1000);
        // tiny α: one site takes nearly everything, the others keep their minimum
        int[] tiny = Partitioners.quantityDirichlet(1000, 5, 0.001, 10, 7).stream().mapToInt(p -> p.length).toArray();
        assertThat(Arrays.stream(tiny).max().getAsInt()).isGreaterThanOrEqualTo(950);
        assertThat(Arrays.stream(tiny).min().getAsInt()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void dirichletLabelSkewWithTinyAlphaGivesSingleClassSites() {
        float[] y = labels();
        List<int[]> parts = Partitioners.dirichletLabel(y, 10, 0.01, 11);
        everyIndexExactlyOnce(parts, 1000);
        // seed 11: all of class 0 goes to site 8, all of class 1 to site 9; the other sites are empty
        int[][] c = counts(parts, y);
        for (int s = 0; s < 10; s++) {
            int[] expected = s == 7 ? new int[]{500, 0} : s == 8 ? new int[]{0, 500} : new int[]{0, 0};
            assertThat(c[s]).as("site " + (s + 1)).containsExactly(expected);
        }
        // seed 7: class 0 at one site, class 1 shared by two: every non-empty site still holds a single class
        int[][] c7 = counts(Partitioners.dirichletLabel(y, 10, 0.01, 7), y);
        assertThat(c7[1]).containsExactly(500, 0);
        assertThat(c7[3]).containsExactly(0, 276);
        assertThat(c7[9]).containsExactly(0, 224);
    }

    @Test
    void dirichletLabelSkewWithLargeAlphaIsNearlyUniform() {
        float[] y = labels();
        int[][] c = counts(Partitioners.dirichletLabel(y, 10, 1000, 7), y);
        int[][] pinned = {{50, 49}, {48, 51}, {50, 50}, {50, 50}, {48, 52}, {51, 49}, {53, 50}, {49, 50}, {51, 49}, {50, 50}};
        for (int s = 0; s < 10; s++) {
            assertThat(c[s]).as("site " + (s + 1)).containsExactly(pinned[s]);
            assertThat(c[s][0] / (double) (c[s][0] + c[s][1])).isCloseTo(0.5, within(0.05));
        }
        // α = 0.5 in between: pinned for the record (sizes and class mixes vary widely)
        int[][] half = counts(Partitioners.dirichletLabel(y, 10, 0.5, 7), y);
        assertThat(half[4]).containsExactly(207, 25);
        assertThat(half[6]).containsExactly(44, 0);
    }

    @Test
    void dirichletDrawsHaveTheRightMeanAndNeverUnderflow() {
        Random rnd = new Random(5);
        double[] mean = new double[4];
        for (int k = 0; k < 4000; k++) {
            double[] p = Partitioners.dirichlet(rnd, 4, 2.0);
            assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
            for (int i = 0; i < 4; i++) mean[i] += p[i] / 4000;
        }
        for (double m : mean) assertThat(m).isCloseTo(0.25, within(0.01));
        // α = 1e-4: every Gamma draw underflows in linear space; computed in logs it is still a distribution
        double[] tiny = Partitioners.dirichlet(new Random(1), 10, 1e-4);
        assertThat(Arrays.stream(tiny).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(Arrays.stream(tiny).max().getAsDouble()).isGreaterThan(0.99);
        List<Double> all = new ArrayList<>();
        for (double v : tiny) all.add(v);
        assertThat(all).allMatch(Double::isFinite);
    }
}
