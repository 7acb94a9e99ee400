package org.fedehr.protocol.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.fedehr.protocol.secagg.SecAggFixture.Drops;
import org.fedehr.protocol.secagg.SecAggFixture.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the coordinator holds: every masked upload looks uniform and is uncorrelated with the site's true update. */
class SecAggPrivacyTest {

    static final int LENGTH = 100_000;
    static SecAggConfig config;
    static Outcome outcome;
    static Map<String, float[]> updates;

    /** 4 sites (t = 3), 100,000 Gaussian-ish deltas each; site-03 drops after sharing so a dropped site's masks are undone too. */
    @BeforeAll
    static void runRound() {
        config = SecAggConfig.choose(4, 3, 2.0, 1000, 1e-3);
        Random r = new Random(2017);
        updates = new LinkedHashMap<>();
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String id : SecAggFixture.ids(4)) {
            float[] x = new float[LENGTH - 1];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.5 + 0.1);
            updates.put(id, x);
            weights.put(id, 200 + r.nextInt(800));
        }
        outcome = SecAggFixture.run(config, 3, updates, weights,
                new Drops(java.util.Set.of(), java.util.Set.of(), java.util.Set.of("site-03"), java.util.Set.of()), 3);
        double[] expected = SecAggFixture.plainMean(config, updates, weights, outcome.result().contributors());
        assertThat(outcome.result().mean()).containsExactly(expected, within(1e-6));
    }

    static double chiSquareOfBytes(int[] v) {
        long[] counts = new long[256];
        for (int x : v) {
            counts[x & 0xff]++;
            counts[(x >>> 8) & 0xff]++;
            counts[(x >>> 16) & 0xff]++;
            counts[x >>> 24]++;
        }
        double expected = v.length * 4 / 256.0;
        double chi = 0;
        for (long c : counts) chi += (c - expected) * (c - expected) / expected;
        return chi;
    }

    static double pearson(int[] a, int[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void aMaskedUploadsBytesAreUniform_chiSquareBelowTheCriticalValue() {
        // 255 degrees of freedom: the 0.999 quantile is 330.5; the plain encoding is nowhere near uniform
        for (var e : outcome.uploads().entrySet()) {
            assertThat(chiSquareOfBytes(e.getValue().values())).as(e.getKey()).isLessThan(330.5);
            assertThat(chiSquareOfBytes(outcome.plainEncoded().get(e.getKey()))).as(e.getKey() + " plain").isGreaterThan(10_000);
        }
    }

    @Test
    void aMaskedUploadIsUncorrelatedWithTheTrueEncodedUpdate() {
        for (var e : outcome.uploads().entrySet())
            assertThat(pearson(e.getValue().values(), outcome.plainEncoded().get(e.getKey()))).as(e.getKey()).isCloseTo(0.0, within(0.02));
    }

    /** Every vector the coordinator holds differs from, and does not correlate with, every site's encoded plaintext. */
    @Test
    void theCoordinatorNeverHoldsAnIndividualUpdate() {
        Map<String, int[]> held = outcome.server().heldVectors();
        assertThat(held).hasSize(3);
        for (var h : held.entrySet()) {
            for (var p : outcome.plainEncoded().entrySet()) {
                assertThat(h.getValue()).isNotEqualTo(p.getValue());
                int same = 0;
                for (int i = 0; i < LENGTH; i++) if (h.getValue()[i] == p.getValue()[i]) same++;
                assertThat(same).as("%s held vs %s plain: equal elements", h.getKey(), p.getKey()).isLessThanOrEqualTo(1);
                assertThat(pearson(h.getValue(), p.getValue())).as("%s held vs %s plain", h.getKey(), p.getKey()).isCloseTo(0.0, within(0.02));
            }
        }
    }

    /** Each site revealed exactly one kind of share per peer: seeds of the survivors, the masking key of the dropped site. */
    @Test
    void revealsCarryOneKindPerPeer() {
        for (var e : outcome.reveals().entrySet()) {
            Map<String, ShareKind> kinds = new LinkedHashMap<>();
            for (RevealedShare r : e.getValue()) assertThat(kinds.put(r.owner(), r.kind())).as(e.getKey()).isNull();
            assertThat(kinds).containsEntry("site-03", ShareKind.MASKING_KEY)
                    .containsEntry("site-00", ShareKind.SELF_MASK_SEED).containsEntry("site-01", ShareKind.SELF_MASK_SEED)
                    .containsEntry("site-02", ShareKind.SELF_MASK_SEED);
        }
    }
}
