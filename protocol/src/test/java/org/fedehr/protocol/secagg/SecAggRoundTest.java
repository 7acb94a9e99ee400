package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.fedehr.protocol.secagg.SecAggFixture.Drops;
import org.fedehr.protocol.secagg.SecAggFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole rounds in memory: the secure sum equals plain weighted FedAvg of the clipped updates within the fixed-point
 * error, for every n from 3 to 20 and every number of drop-outs from 0 to n−t at each of the four stages; below t the
 * round fails closed at the stage where it happens.
 */
class SecAggRoundTest {

    static final double CLIP = 2.0;
    static final int WEIGHT_CAP = 1000;

    static int majority(int n) {
        return n / 2 + 1;
    }

    /** Updates in ±1.25·clip (so some are clipped) with weights 1..cap; java.util.Random is fine for test data. */
    static void inputs(int n, int length, long seed, Map<String, float[]> updates, Map<String, Integer> weights) {
        Random r = new Random(seed);
        for (String id : SecAggFixture.ids(n)) {
            float[] x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * 1.25 * CLIP);
            updates.put(id, x);
            weights.put(id, 1 + r.nextInt(WEIGHT_CAP));
        }
    }

    /**
     * n in {3, 4, 5, 7, 10, 20} (the full 3..20 matrix takes minutes on a loaded 2-core machine: every site checks every
     * peer's signature), t = majority, 0..n−t drop-outs at each stage (a) before advertising, (b) after advertising,
     * (c) after sharing, (d) after upload.
     */
    @Test
    void aggregateEqualsPlainWeightedFedAvgForEveryDropoutCountAtEveryStage() {
        int rounds = 0;
        int[] sizes = {3, 4, 5, 7, 10, 20};
        for (int n : sizes) {
            int t = majority(n);
            SecAggConfig config = SecAggConfig.choose(n, t, CLIP, WEIGHT_CAP, 1e-3);
            for (int st = 0; st < 4; st++) {
                final int stage = st;
                for (int k = 0; k <= n - t; k++) {
                    long seed = n * 1000L + stage * 100L + k;
                    Map<String, float[]> updates = new LinkedHashMap<>();
                    Map<String, Integer> weights = new LinkedHashMap<>();
                    inputs(n, 5 + (int) (seed % 46), seed, updates, weights);
                    List<String> shuffled = new ArrayList<>(updates.keySet());
                    Collections.shuffle(shuffled, new Random(seed));
                    Set<String> dropped = new HashSet<>(shuffled.subList(0, k));
                    Drops drops = switch (stage) {
                        case 0 -> new Drops(dropped, Set.of(), Set.of(), Set.of());
                        case 1 -> new Drops(Set.of(), dropped, Set.of(), Set.of());
                        case 2 -> new Drops(Set.of(), Set.of(), dropped, Set.of());
                        default -> new Drops(Set.of(), Set.of(), Set.of(), dropped);
                    };
                    Outcome o = SecAggFixture.run(config, rounds++, updates, weights, drops, seed);
                    List<String> expectedContributors = updates.keySet().stream().filter(id -> stage == 3 || !dropped.contains(id)).sorted().toList();
                    String what = "n=" + n + " t=" + t + " stage=" + stage + " drops=" + k;
                    assertThat(o.result().contributors()).as(what).isEqualTo(expectedContributors);
                    double total = expectedContributors.stream().mapToInt(weights::get).sum();
                    assertThat(o.result().totalWeight()).as(what).isEqualTo(total);
                    double[] expected = SecAggFixture.plainMean(config, updates, weights, expectedContributors);
                    double tol = config.maxMeanError(expectedContributors.size(), total) + 1e-12;
                    double[] mean = o.result().mean();
                    for (int i = 0; i < expected.length; i++) assertThat(mean[i]).as(what + " element " + i).isCloseTo(expected[i], within(tol));
                }
            }
        }
        assertThat(rounds).isEqualTo(4 * java.util.Arrays.stream(sizes).map(n -> n - majority(n) + 1).sum());
    }

    /** Drop-outs spread over all four stages at once (up to n−t in total), including t = 2 and t = n. */
    @ParameterizedTest
    @ValueSource(ints = {3, 4, 6, 9, 13})
    void mixedDropoutsAcrossStages(int n) {
        for (int t : new int[] {2, majority(n), n}) {
            SecAggConfig config = SecAggConfig.choose(n, t, CLIP, WEIGHT_CAP, 1e-3);
            Random r = new Random(n * 31L + t);
            for (int trial = 0; trial < 3; trial++) {
                Map<String, float[]> updates = new LinkedHashMap<>();
                Map<String, Integer> weights = new LinkedHashMap<>();
                inputs(n, 17, r.nextLong(), updates, weights);
                List<String> shuffled = new ArrayList<>(updates.keySet());
                Collections.shuffle(shuffled, r);
                List<Set<String>> at = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
                for (String id : shuffled.subList(0, r.nextInt(n - t + 1))) at.get(r.nextInt(4)).add(id);
                Outcome o = SecAggFixture.run(config, trial, updates, weights, new Drops(at.get(0), at.get(1), at.get(2), at.get(3)), trial);
                List<String> expectedContributors = updates.keySet().stream()
                        .filter(id -> !at.get(0).contains(id) && !at.get(1).contains(id) && !at.get(2).contains(id)).sorted().toList();
                assertThat(o.result().contributors()).isEqualTo(expectedContributors);
                double total = expectedContributors.stream().mapToInt(weights::get).sum();
                double[] expected = SecAggFixture.plainMean(config, updates, weights, expectedContributors);
                assertThat(o.result().mean()).containsExactly(expected, within(config.maxMeanError(expectedContributors.size(), total) + 1e-12));
            }
        }
    }

    /** n−t+1 drop-outs at any one stage: that stage's close fails closed, no Result exists, and nothing individual is unmasked. */
    @ParameterizedTest
    @ValueSource(ints = {3, 5, 10})
    void failsClosedBelowThresholdAtEachStage(int n) {
        int t = majority(n);
        SecAggConfig config = SecAggConfig.choose(n, t, CLIP, WEIGHT_CAP, 1e-3);
        String[] stageNames = {"advertising", "sharing", "masking", "unmasking"};
        for (int st = 0; st < 4; st++) {
            final int stage = st;
            Map<String, float[]> updates = new LinkedHashMap<>();
            Map<String, Integer> weights = new LinkedHashMap<>();
            inputs(n, 8, n + stage, updates, weights);
            Set<String> dropped = new HashSet<>(SecAggFixture.ids(n).subList(0, n - t + 1));
            Drops drops = switch (stage) {
                case 0 -> new Drops(dropped, Set.of(), Set.of(), Set.of());
                case 1 -> new Drops(Set.of(), dropped, Set.of(), Set.of());
                case 2 -> new Drops(Set.of(), Set.of(), dropped, Set.of());
                default -> new Drops(Set.of(), Set.of(), Set.of(), dropped);
            };
            SecAggServer server = new SecAggServer(SecAggFixture.RUN, stage, config, updates.keySet());
            assertThatThrownBy(() -> SecAggFixture.run(server, config, stage, updates, weights, drops, 1))
                    .isInstanceOf(SecAggException.class)
                    .hasMessageContaining("fails closed")
                    .hasMessageContaining("round " + stage)
                    .hasMessageContaining("stage " + stageNames[stage])
                    .hasMessageContaining("fewer than the threshold " + t);
            // nothing more comes out of a failed round, and it holds no vector any more
            assertThatThrownBy(server::closeUnmasking).isInstanceOf(SecAggException.class);
            assertThat(server.heldVectors()).isEmpty();
        }
    }

    @Test
    void aSiteRefusesRostersBelowThreshold() {
        SecAggConfig config = SecAggConfig.choose(4, 3, CLIP, WEIGHT_CAP, 1e-3);
        List<SecAggSite> sites = SecAggFixture.ids(4).stream().map(id -> SecAggFixture.site(0, id, config, 5)).toList();
        List<KeyAdvert> adverts = sites.stream().map(SecAggSite::advertise).toList();
        assertThatThrownBy(() -> sites.get(0).shareKeys(adverts.subList(0, 2)))
                .isInstanceOf(SecAggException.class).hasMessageContaining("site site-00").hasMessageContaining("stage share-keys")
                .hasMessageContaining("fewer than the threshold 3");
    }
}
