package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every strategy runs the heart-disease federation (FLamby's split, logistic regression, one epoch of SGD per round at
 * learning rate 0.05, five times the scenario's, so that 4 rounds suffice) in process: each round aggregates, the model
 * stays finite, and the pooled test accuracy is sensible (≥ 0.70). FedAvg, SCAFFOLD and FedAdam run under secure
 * aggregation; the robust strategies cannot, the others run without it to keep the test short. Needs FEDEHR_DATA;
 * skipped with a message when it is unset.
 */
class StrategiesHeartDiseaseTest {
    static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();
    static Path dataRoot;

    @BeforeAll
    static void data() {
        String env = System.getenv("FEDEHR_DATA");
        if (env == null || env.isBlank()) System.err.println("SKIPPED StrategiesHeartDiseaseTest: FEDEHR_DATA is not set");
        assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set: skipping the strategies on heart disease");
        dataRoot = Path.of(env);
        assumeTrue(Files.isRegularFile(dataRoot.resolve("heart_disease/flamby_split.csv")), "no heart_disease data under FEDEHR_DATA");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
            "fedavg; ; true",
            "fedprox; mu: 0.01; false",
            "scaffold; ; true",
            "ditto; lambda: 0.1; false",
            "fedadam; eta: 0.1; true",
            "fedyogi; eta: 0.1; false",
            "fedadagrad; eta: 1.0; false",
            "fedmedian; ; false",
            "trimmed_mean; trim_fraction: 0.25; false",
            "krum; 'byzantine: 0, multi_krum: 2'; false"})
    void strategyRunsAndLearns(String strategy, String params, boolean secure, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String yaml = """
                name: hd-%s
                seed: 42
                mode: in-process
                features: %s/federations/heart-disease/features.yaml
                sites:
                  - %s/sites/heart-disease/cleveland.yaml
                  - %s/sites/heart-disease/hungarian.yaml
                  - %s/sites/heart-disease/switzerland.yaml
                  - %s/sites/heart-disease/va.yaml
                federation:
                  strategy: %s
                  strategy_params: {%s}
                  rounds: 4
                  quorum: 4
                  deadline_seconds: 120
                secure_aggregation: %s
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 4, optimizer: sgd, learning_rate: 0.05}
                baselines: {pooled: false, local: false}
                """.formatted(strategy, CONFIGS, CONFIGS, CONFIGS, CONFIGS, CONFIGS, strategy, params == null ? "" : params, secure);
        Path file = dir.resolve(strategy + ".yaml");
        Files.writeString(file, yaml);
        SeedResult r = new Simulation(dataRoot, null, null).run(Scenario.load(file));
        assertThat(r.status()).isEqualTo("completed 4 rounds");
        for (RoundRecord rec : r.rounds()) assertThat(rec.updated()).as("round %d: %s", rec.round(), rec.status()).isTrue();
        assertThat(r.federated().pooledTestAccuracy()).as(strategy).isGreaterThanOrEqualTo(0.70);
        System.out.printf("strategy %s: pooled test accuracy after 4 rounds %.4f, mean site %.4f%n", strategy,
                r.federated().pooledTestAccuracy(), r.federated().meanSiteAccuracy());
    }
}
