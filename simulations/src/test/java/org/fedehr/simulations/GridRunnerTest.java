package org.fedehr.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedehr.protocol.msg.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small grid end to end through real federations (generated three-site data, 2 rounds, no FEDEHR_DATA needed):
 * 2 settings × 2 seeds, baselines trained once per seed, and every output written.
 */
class GridRunnerTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryConfigurationAndSeedAndWritesTheOutputs() throws Exception {
        GridFixture.writeFederation(dir);
        ScenarioGrid grid = ScenarioGrid.load(GridFixture.scenario(dir,
                "mode: in-process\ngrid: {seeds: [11, 12], settings: {training.learning_rate: [0.1, 0.02]}}\n"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        GridResult r = GridRunner.run(grid, dir, out, new PrintStream(buf, true, StandardCharsets.UTF_8), false,
                Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC));
        String console = buf.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("== grid grid-test: 2 configurations × 2 seeds = 4 runs", "[1/4] c1 fedavg learning_rate=0.1 · seed 11",
                "[4/4] c2 fedavg learning_rate=0.02 · seed 12 · 3 sites · 1 rounds · baselines of seed 12 already trained (b2)",
                "pooled (centralised) baseline", "local-only baseline (own site)");

        assertThat(r.configurations()).hasSize(2);
        for (GridResult.ConfigurationRuns c : r.configurations()) {
            assertThat(c.runs()).extracting(GridResult.SeedRun::seed).containsExactly(11L, 12L);
            assertThat(c.results()).allSatisfy(x -> assertThat(x.federated()).isNotNull());
        }
        // baselines: trained by c1's runs only, once per seed, and shared with c2
        assertThat(r.baselines()).extracting(GridResult.Baselines::seed).containsExactly(11L, 12L);
        assertThat(r.baselines()).allSatisfy(b -> assertThat(b.configurations()).containsExactly("c1", "c2"));
        assertThat(r.configurations().get(0).results()).allSatisfy(x -> assertThat(x.pooledBaseline()).isNotNull());
        assertThat(r.configurations().get(1).results()).allSatisfy(x -> assertThat(x.pooledBaseline()).isNull());
        assertThat(r.configurations().get(1).runs()).extracting(GridResult.SeedRun::baselinesId).containsExactly("b1", "b2");
        // the learning rate reached the sites: the two configurations end with different models
        assertThat(r.configurations().get(0).results().get(0).modelSha256())
                .isNotEqualTo(r.configurations().get(1).results().get(0).modelSha256());

        assertThat(Files.readAllLines(out.resolve("rounds.csv"))).hasSize(1 + 2 * 2 * 1);
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("configurations")).hasSize(2);
        assertThat(summary.get("baselines")).hasSize(2);
        assertThat(summary.get("started").asText()).isEqualTo("2026-12-04T12:00:00Z");
        assertThat(summary.get("configurations").get(1).get("over_seeds").get("pooled_test_accuracy").get("n").asInt()).isEqualTo(2);
        String page = Files.readString(out.resolve(GridReport.HTML));
        for (String png : List.of(GridReport.ACCURACY_PNG, GridReport.AUROC_PNG, GridReport.LOSS_PNG, GridReport.SITES_PNG, GridReport.BYTES_PNG)) {
            assertThat(page).contains("<img src=\"" + png + "\"");
            assertThat(Files.size(out.resolve(png))).as(png).isGreaterThan(5_000);
        }
        assertThat(out.resolve("audit/c2-seed-12/coordinator.audit.jsonl")).exists();
    }
}
