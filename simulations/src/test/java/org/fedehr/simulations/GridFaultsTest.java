package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Grids over fault and partition settings: each configuration gets its own faults and its own partitioned sites. */
@Timeout(240)
class GridFaultsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        GridFixture.writeFederation(dir);
    }

    @Test
    void aGridOverTheDropoutProbabilityInjectsPerConfigurationAndSaysSoInRoundsCsv() throws Exception {
        ScenarioGrid grid = ScenarioGrid.load(GridFixture.scenario(dir, """
                faults: {dropout: {probability: 0.0, sites: [C]}}
                grid:
                  seeds: [3]
                  settings: {faults.dropout.probability: [0.0, 1.0], federation.quorum: [2], federation.grace_seconds: [1]}
                """));
        GridResult r = GridRunner.run(grid, dir, dir.resolve("out-dropout"), null, false, Clock.systemUTC());
        assertThat(r.configurations()).hasSize(2);
        for (RoundRecord rr : r.configurations().get(0).results().get(0).rounds()) assertThat(rr.failures()).isEmpty();
        for (RoundRecord rr : r.configurations().get(1).results().get(0).rounds()) {
            assertThat(rr.failures()).extracting(SiteFailure::siteId).containsExactly("C");
            assertThat(rr.contributed()).containsOnlyKeys("A", "B");
        }
        List<String> csv = Files.readAllLines(dir.resolve("out-dropout/rounds.csv"));
        assertThat(csv.get(0)).endsWith(",faults_injected");
        int rounds = r.configurations().get(0).results().get(0).rounds().size();
        assertThat(csv).hasSize(1 + 2 * rounds);
        assertThat(csv.stream().filter(l -> l.startsWith("c1,"))).allMatch(l -> l.endsWith(",\"\""));
        assertThat(csv.stream().filter(l -> l.startsWith("c2,")))
                .allMatch(l -> l.endsWith(",\"C: dropout (connection cut after the model download)\""));
    }

    @Test
    void configurationsWithDifferentPartitionsGetTheirOwnSites() throws Exception {
        Path f = dir.resolve("partition-grid.yaml");
        Files.writeString(f, GridFixture.HEAD.replace("sites: [A.yaml, B.yaml, C.yaml]\n", "")
                .replace("quorum: 3", "quorum: 1").replace("baselines: {pooled: true, local: true", "baselines: {pooled: false, local: false") + """
                partition: {source: [A.yaml, B.yaml, C.yaml], kind: quantity, sites: 3, power: 0.0, seed: 4}
                grid:
                  seeds: [3]
                  settings: {partition.power: [0.0, 2.0]}
                """);
        GridResult r = GridRunner.run(ScenarioGrid.load(f), dir, null, null, false, Clock.systemUTC());
        // 240 rows, min_rows 1: γ = 0 → 80 rows per site; γ = 2 → shares 1, 1/4, 1/9 of the other 237 → 175, 45, 20 rows.
        // Each site splits its rows 3:1 (stratified), so the training rows the coordinator weights by are about 60 each,
        // against about 131, 34 and 15
        var even = r.configurations().get(0).results().get(0).rounds().get(0).contributed();
        var skewed = r.configurations().get(1).results().get(0).rounds().get(0).contributed();
        assertThat(even.keySet()).containsExactly("site-01", "site-02", "site-03");
        assertThat(even.values()).allSatisfy(w -> assertThat(w).isBetween(58.0, 62.0));
        assertThat(skewed.get("site-01")).isBetween(128.0, 134.0);
        assertThat(skewed.get("site-02")).isBetween(32.0, 36.0);
        assertThat(skewed.get("site-03")).isBetween(13.0, 17.0);
    }
}
