package org.fedehr.simulations.inprocess;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's workload and report on a small federation: real training, every field present, seeded. */
class ScaleBenchmarkTest {
    @Test
    void workloadIsSeededAndWithinItsBounds() {
        SyntheticLogisticSites a = new SyntheticLogisticSites(5), b = new SyntheticLogisticSites(5);
        for (int i = 0; i < 300; i++) {
            assertThat(a.rowCount(i)).isBetween(45, 55).isEqualTo(a.rows(i).size());
            assertThat(a.siteRows(i).trainSize()).isEqualTo(a.rowCount(i));
        }
        assertThat(a.rows(17)).isEqualTo(b.rows(17)).isNotEqualTo(a.rows(18));
        assertThat(a.rows(17).get(0).size()).isEqualTo(13);
        // every row count from 45 to 55 occurs over 300 sites
        assertThat(java.util.stream.IntStream.range(0, 300).map(a::rowCount).distinct().count()).isEqualTo(11);
        assertThat(SyntheticLogisticSites.siteId(7, 1000)).isEqualTo("site-007");
        assertThat(SyntheticLogisticSites.siteId(7, 10_000)).isEqualTo("site-0007");
        for (double x : new double[]{0, 1.5, -0.0123, 2.00001, -3.9999, 0.00004, -0.00004, 12.3456})
            assertThat(Double.parseDouble(SyntheticLogisticSites.decimal4(Math.round(x * 10_000) / 10_000.0)))
                    .isEqualTo(Math.round(x * 10_000) / 10_000.0);
        assertThat(SyntheticLogisticSites.decimal4(-0.0123)).isEqualTo("-0.0123");
        assertThat(SyntheticLogisticSites.decimal4(2.5)).isEqualTo("2.5000");
        assertThat(SyntheticLogisticSites.decimal4(-0.00004)).isEqualTo("0.0000");
        // the held-out rows are separable by the generating model well above chance
        assertThat(a.trueModelAccuracy(a.heldOut(2000))).isGreaterThan(0.75);
    }

    @Test
    void reportOfASmallRunHasEveryFieldAndShowsTraining() throws Exception {
        Map<String, Object> r = ScaleBenchmark.run(new ScaleBenchmark.Options(30, 3, 2, 42, false), null).report();
        assertThat(r).containsKeys("sites", "rounds", "seconds", "site_rounds_per_second", "peak_rss_mb", "peak_heap_mb");
        assertThat(r.get("sites")).isEqualTo(30);
        assertThat(r.get("rounds")).isEqualTo(3);
        assertThat(r.get("completed")).isEqualTo(true);
        assertThat(r.get("site_rounds")).isEqualTo(90L);
        assertThat((double) r.get("seconds")).isGreaterThanOrEqualTo((double) r.get("run_seconds"));
        assertThat((double) r.get("site_rounds_per_second")).isPositive();
        assertThat((Double) r.get("peak_rss_mb")).isPositive();
        assertThat((int) r.get("peak_dl4j_networks")).isBetween(1, 2);
        assertThat((double) r.get("final_accuracy")).isGreaterThan((double) r.get("initial_accuracy") + 0.05);
        // same seed, same model
        Map<String, Object> again = ScaleBenchmark.run(new ScaleBenchmark.Options(30, 3, 1, 42, false), null).report();
        assertThat(again.get("parameters_sha256")).isEqualTo(r.get("parameters_sha256"));
        List.of("bytes_up", "bytes_down").forEach(k -> assertThat(again.get(k)).isEqualTo(r.get(k)));
    }
}
