package org.fedehr.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Mean ± sd over seeds, computed by hand, and what summary.json and rounds.csv hold for a grid. */
class GridSummaryTest {
    @TempDir
    static Path dir;
    static GridResult result;

    @BeforeAll
    static void build() throws IOException {
        GridFixture.writeFederation(dir);
        ScenarioGrid grid = ScenarioGrid.load(GridFixture.scenario(dir,
                "grid: {seeds: [1, 2, 3, 4], settings: {training.learning_rate: [0.1, 0.2]}}\n"));
        var local1 = new TreeMap<>(Map.of("A", GridResults.model(0.6, 0.6, 0.7, 0.7, 0.4), "B", GridResults.model(0.6, 0.6, 0.7, 0.3, 0.5)));
        var local2 = new TreeMap<>(Map.of("A", GridResults.model(0.6, 0.6, 0.7, 0.8, 0.4), "B", GridResults.model(0.6, 0.6, 0.7, 0.3, 0.6)));
        ModelMetrics pooled1 = GridResults.model(0.8, 0.85, 0.45, 0.8, 0.8), pooled2 = GridResults.model(0.9, 0.9, 0.4, 0.9, 0.9);
        // c1: three seeds with a model; seed 4 threw
        var c1 = new GridResult.ConfigurationRuns(grid.configurations().get(0), List.of(
                new GridResult.SeedRun(1, GridResults.seed(1, GridResults.model(0.70, 0.80, 0.50, 0.6, 0.8), GridResults.rounds(3, false), pooled1, local1), null, "b1"),
                new GridResult.SeedRun(2, GridResults.seed(2, GridResults.model(0.80, 0.84, 0.46, 0.7, 0.9), GridResults.rounds(3, true), pooled2, local2), null, "b2"),
                new GridResult.SeedRun(3, GridResults.seed(3, GridResults.model(0.90, 0.86, 0.40, 0.5, 1.0), GridResults.rounds(3, false), null, new TreeMap<>()), null, null),
                new GridResult.SeedRun(4, null, "TimeoutException: coordinator did not answer", null)));
        var c2 = new GridResult.ConfigurationRuns(grid.configurations().get(1), List.of(
                new GridResult.SeedRun(1, GridResults.seed(1, GridResults.model(0.75, 0.8, 0.5, 0.7, 0.8), GridResults.rounds(3, false), null, new TreeMap<>()), null, "b1"),
                new GridResult.SeedRun(2, GridResults.seed(2, GridResults.model(0.75, 0.8, 0.5, 0.7, 0.8), GridResults.rounds(3, false), null, new TreeMap<>()), null, "b2")));
        result = new GridResult(grid, List.of(c1, c2), List.of(
                new GridResult.Baselines("b1", 1, List.of("c1", "c2"), pooled1, local1),
                new GridResult.Baselines("b2", 2, List.of("c1", "c2"), pooled2, local2)), Instant.parse("2026-12-04T12:00:00Z"), 42.0);
    }

    @Test
    void meanAndPopulationSdOverSeedsByHand() {
        MeanSd s = MeanSd.of(List.of(0.7, 0.8, 0.9));
        assertThat(s.mean()).isCloseTo(0.8, within(1e-12));
        assertThat(s.sd()).isCloseTo(Math.sqrt(0.02 / 3), within(1e-12));       // (0.01 + 0 + 0.01) / 3, ddof = 0
        assertThat(MeanSd.of(java.util.Arrays.asList(2.0, null, 4.0))).isEqualTo(new MeanSd(3.0, 1.0, 2));
        assertThat(MeanSd.of(List.of())).isNull();
    }

    @Test
    void everyFinalFigureOfAConfigurationOverItsSeeds() {
        Map<String, MeanSd> s = GridSummary.overSeeds(result.configurations().get(0));
        assertThat(s.get("pooled_test_accuracy").n()).isEqualTo(3);            // the failed seed has no value
        assertThat(s.get("pooled_test_accuracy").mean()).isCloseTo(0.8, within(1e-12));
        assertThat(s.get("pooled_test_accuracy").sd()).isCloseTo(0.0816496581, within(1e-9));
        assertThat(s.get("pooled_test_auroc").mean()).isCloseTo(0.8333333333, within(1e-9));
        // sites (A, B) per seed: (0.6, 0.8), (0.7, 0.9), (0.5, 1.0)
        assertThat(s.get("mean_site_accuracy").mean()).isCloseTo(0.75, within(1e-12));   // 0.7, 0.8, 0.75
        assertThat(s.get("mean_site_accuracy").sd()).isCloseTo(Math.sqrt(0.005 / 3), within(1e-12));
        assertThat(s.get("worst_site_accuracy").mean()).isCloseTo(0.6, within(1e-12));    // 0.6, 0.7, 0.5
        assertThat(s.get("worst_site_accuracy").sd()).isCloseTo(Math.sqrt(0.02 / 3), within(1e-12));
        assertThat(s.get("best_site_accuracy").mean()).isCloseTo(0.9, within(1e-12));     // 0.8, 0.9, 1.0
        assertThat(s.get("site_accuracy_sd").mean()).isCloseTo(0.15, within(1e-12));      // 0.1, 0.1, 0.25
        assertThat(s.get("site_accuracy_sd").sd()).isCloseTo(Math.sqrt(0.005), within(1e-12));
        assertThat(s.get("bytes_up").mean()).isEqualTo(5000.0);
        assertThat(s.get("rounds_aggregated").mean()).isEqualTo(3.0);
        // coordinator's last round (3): accuracy 0.8 at both sites
        assertThat(s.get("coordinator_accuracy").mean()).isCloseTo(0.8, within(1e-12));
        assertThat(s.get("coordinator_accuracy").sd()).isCloseTo(0.0, within(1e-12));
        Map<String, MeanSd> sites = GridSummary.siteAccuracyOverSeeds(result.configurations().get(0));
        assertThat(sites.get("A").mean()).isCloseTo(0.6, within(1e-12));
        assertThat(sites.get("A").sd()).isCloseTo(Math.sqrt(0.02 / 3), within(1e-12));
        assertThat(sites.get("B").mean()).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void baselinesOncePerSeedSharedByTheConfigurations() {
        Map<String, MeanSd> b = GridSummary.baselinesOverSeeds(result.baselines());
        assertThat(b.get("pooled.pooled_test_accuracy").mean()).isCloseTo(0.85, within(1e-12));
        assertThat(b.get("pooled.pooled_test_accuracy").sd()).isCloseTo(0.05, within(1e-12));
        // local-only: each site's own model on its own test split: seed 1 (A 0.7, B 0.5), seed 2 (A 0.8, B 0.6)
        assertThat(b.get("local.mean_site_accuracy").mean()).isCloseTo(0.65, within(1e-12));
        assertThat(b.get("local.mean_site_accuracy").sd()).isCloseTo(0.05, within(1e-12));
        assertThat(b.get("local.worst_site_accuracy").mean()).isCloseTo(0.55, within(1e-12));

        JsonNode json = GridSummary.summary(result);
        assertThat(json.get("kind").asText()).isEqualTo("grid");
        assertThat(json.get("configurations")).hasSize(2);
        JsonNode c1 = json.get("configurations").get(0);
        assertThat(c1.get("label").asText()).isEqualTo("fedavg learning_rate=0.1");
        assertThat(c1.get("settings").get("training.learning_rate").asText()).isEqualTo("0.1");
        assertThat(c1.get("over_seeds").get("pooled_test_accuracy").get("mean").asDouble()).isEqualTo(0.8);
        assertThat(c1.get("over_seeds").get("pooled_test_accuracy").get("sd").asDouble()).isEqualTo(0.08165);
        assertThat(c1.get("over_seeds").get("pooled_test_accuracy").get("n").asInt()).isEqualTo(3);
        assertThat(c1.get("per_seed")).hasSize(4);
        assertThat(c1.get("per_seed").get(3).get("error").asText()).contains("TimeoutException");
        assertThat(c1.get("per_seed").get(0).get("baselines").asText()).isEqualTo("b1");
        assertThat(c1.get("baselines_over_seeds").get("pooled.pooled_test_accuracy").get("mean").asDouble()).isEqualTo(0.85);
        // the baselines appear once per seed, not once per configuration
        assertThat(json.get("baselines")).hasSize(2);
        assertThat(json.get("baselines").get(0).get("configurations").toString()).isEqualTo("[\"c1\",\"c2\"]");
        assertThat(json.get("baselines").get(1).get("local").get("mean_site_accuracy").asDouble()).isEqualTo(0.7);
        assertThat(json.toString()).doesNotContain("NaN");
    }

    @Test
    void roundsCsvHasOneRowPerConfigurationSeedAndRoundWithTheConfigurationColumns() throws IOException {
        Path out = dir.resolve("csv");
        GridSummary.writeRounds(out, result);
        List<String> lines = Files.readAllLines(out.resolve("rounds.csv"));
        assertThat(lines).hasSize(1 + (3 + 2) * 3);          // c1: 3 seeds with rounds, c2: 2; 3 rounds each
        assertThat(lines.get(0)).startsWith("configuration,label,strategy,\"training.learning_rate\",seed,round,updated,status,");
        assertThat(lines.get(0)).contains(",failures,failed_sites,", ",late_replies,late,", "\"acc_A\",\"acc_B\"", ",bytes_up,bytes_down,seconds");
        assertThat(lines.get(1)).startsWith("c1,\"fedavg learning_rate=0.1\",\"fedavg\",\"0.1\",1,1,true,");
        // seed 2 of c1, round 2: B timed out; round 3: B's round-2 reply came late
        assertThat(lines.get(5)).startsWith("c1,\"fedavg learning_rate=0.1\",\"fedavg\",\"0.1\",2,2,true,")
                .contains(",2,1,1,\"B: timeout (no reply within 60 s)\",0,0,");
        assertThat(lines.get(6)).contains(",1,\"B: TRAIN round 2 arrived during TRAIN round 3\",");
        assertThat(lines.get(10)).startsWith("c2,\"fedavg learning_rate=0.2\",\"fedavg\",\"0.2\",1,1,");
    }
}
