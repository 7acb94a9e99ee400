package org.fedehr.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped longitudinal scenarios (event site configs through the one config-driven pipeline), reduced (fewer
 * rounds, no local-only baselines), through the real federation: statistics phase, secure aggregation, FedAvg over the model's flat parameters, the harness's AUROC/AUPRC.
 * Needs FEDEHR_DATA; skipped with a message when it is unset.
 */
class LongitudinalMortalityDataTest {
    static Path dataRoot;
    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        String env = System.getenv("FEDEHR_DATA");
        if (env == null || env.isBlank()) System.err.println("SKIPPED LongitudinalMortalityDataTest: FEDEHR_DATA is not set");
        assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set: skipping the longitudinal simulations");
        dataRoot = Path.of(env);
    }

    /** The shipped scenario with {@code rounds} rounds, short pooled baseline and no local-only ones. */
    private LongitudinalScenario reduced(String file, int rounds) throws Exception {
        String yaml = Files.readString(Path.of("..", "configs", "simulations", file))
                .replaceFirst("(?m)^  rounds: \\d+", "  rounds: " + rounds)
                .replaceFirst("(?m)^  local: true", "  local: false")
                .replaceFirst("(?m)^(baselines:(?:\\n.*)*?\\n  epochs: )\\d+", "$1" + 3)
                .replace("../sites/", Path.of("..", "configs", "sites").toAbsolutePath().normalize() + "/");   // the copy lives in tmp
        Path f = tmp.resolve(file);
        Files.writeString(f, yaml);
        return LongitudinalScenario.load(f);
    }

    @Test
    void physionet2012ReducedFederationReachesASaneAuroc() throws Exception {
        assumeTrue(Files.isDirectory(dataRoot.resolve("physionet2012/set-a")), "no physionet2012 under FEDEHR_DATA");
        LongitudinalScenario sc = reduced("physionet2012-mortality.yaml", 4);
        assertThat(sc.federation().secureAggregation()).as("the scenario masks its updates").isNotNull();
        assertThat(sc.localBaseline()).isFalse();
        LongitudinalSimulation.Result r = LongitudinalRunner.run(sc, dataRoot, null, null, false);
        assertThat(r.status()).startsWith("completed");
        assertThat(r.run().rounds()).hasSize(4).allMatch(x -> x.updated());
        assertThat(r.siteSizes()).containsOnlyKeys("icu1", "icu2", "icu3", "icu4");
        assertThat(r.federated().n()).isEqualTo(800);   // 20 % of 4,000 stays, stratified per site
        assertThat(r.federated().auroc()).as("federated pooled-test AUROC after 4 rounds").isGreaterThan(0.78);
        assertThat(r.federated().auprc()).as("AUPRC well above the ~0.14 death rate").isGreaterThan(0.35);
        assertThat(r.pooled().auroc()).isGreaterThan(0.78);
    }

    @Test
    void eicuReducedFederationRunsOverRegions() throws Exception {
        assumeTrue(Files.isRegularFile(dataRoot.resolve("eicu_demo/patient.csv")), "no eicu_demo under FEDEHR_DATA");
        LongitudinalScenario sc = reduced("eicu-mortality.yaml", 5);
        LongitudinalSimulation.Result r = LongitudinalRunner.run(sc, dataRoot, null, null, false);
        assertThat(r.status()).startsWith("completed");
        assertThat(r.siteSizes()).containsOnlyKeys("midwest", "northeast-other", "south", "west");
        int stays = r.siteSizes().values().stream().mapToInt(v -> v[0] + v[1]).sum();
        assertThat(stays).as("stays with a known outcome and an event in the first 24 h").isEqualTo(2432);   // of 2,520: every ICU stay with a known outcome and an event in the window
        assertThat(r.federated().auroc()).as("federated pooled-test AUROC after 5 rounds").isGreaterThan(0.6);
    }
}
