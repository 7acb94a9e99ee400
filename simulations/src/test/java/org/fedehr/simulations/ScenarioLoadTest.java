package org.fedehr.simulations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading a scenario: the {@code targets:} block and the seed, parsed strictly, with errors naming file and key. */
class ScenarioLoadTest {
    @TempDir
    Path dir;

    private Path scenario(String targets) throws IOException {
        return scenario(targets, 5);
    }

    private Path scenario(String targets, long seed) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), "site: {id: s}\n");
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: a, type: numeric}]\n");
        Path p = dir.resolve("scenario.yaml");
        Files.writeString(p, """
                name: t
                seed: %d
                features: f.yaml
                sites: [s.yaml]
                federation: {rounds: 1, quorum: 1}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                """.formatted(seed) + targets);
        return p;
    }

    @Test
    void perSeedAndOverSeedTargetsAreRead() throws IOException {
        Scenario sc = Scenario.load(scenario("""
                targets:
                  mean_site_accuracy: 0.76
                  pooled_test_accuracy: 0.78
                  over_seeds: {pooled_test_accuracy: 0.79, mean_site_accuracy: 0.78}
                """));
        assertThat(sc.targets().perSeed()).isEqualTo(Map.of("pooled_test_accuracy", 0.78, "mean_site_accuracy", 0.76));
        assertThat(sc.targets().overSeeds()).isEqualTo(Map.of("pooled_test_accuracy", 0.79, "mean_site_accuracy", 0.78));
        assertThat(sc.withSeed(9).targets()).isEqualTo(sc.targets());
        // reported in one fixed order whatever the file's order
        assertThat(sc.targets().perSeed().keySet()).containsExactly("pooled_test_accuracy", "mean_site_accuracy");
    }

    @Test
    void noTargetsMeansNone() throws IOException {
        assertThat(Scenario.load(scenario("")).targets()).isEqualTo(Scenario.Targets.NONE);
    }

    @Test
    void unknownMetricIsRefusedNamingFileAndKey() {
        assertThatThrownBy(() -> Scenario.load(scenario("targets: {pooled_accuracy: 0.8}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scenario.yaml").hasMessageContaining("targets.pooled_accuracy").hasMessageContaining("unknown key");
    }

    @Test
    void targetOutsideZeroOneIsRefused() {
        assertThatThrownBy(() -> Scenario.load(scenario("targets: {over_seeds: {mean_site_accuracy: 78}}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("targets").hasMessageContaining("must be in [0, 1], was 78.0");
    }

    /** C13: DL4J treats seed 0 as "no seed", so a scenario may not use it. */
    @Test
    void seedZeroIsRefused() {
        assertThatThrownBy(() -> Scenario.load(scenario("", 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("seed").hasMessageContaining("0 is not allowed (DL4J treats seed 0 as 'no seed')");
    }

    @Test
    void seedZeroIsRefusedForARunOverSeeds() throws IOException {
        Scenario sc = Scenario.load(scenario(""));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, dir, java.util.List.of(42L, 0L), null, null, false))
                .isInstanceOf(ConfigException.class).hasMessage("--seeds: seed 0 is not allowed (DL4J treats seed 0 as 'no seed')");
    }

    @Test
    void aSeedListedTwiceIsRefused() throws IOException {
        Scenario sc = Scenario.load(scenario(""));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, dir, java.util.List.of(42L, 43L, 42L), null, null, false))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--seeds: seed 42 is listed twice");
    }

    @Test
    void secureAggregationIsOnByDefaultAndCanBeTurnedOffOrTuned() throws IOException {
        assertThat(Scenario.load(scenario("")).federation().secureAggregation())
                .isEqualTo(org.fedehr.coordinator.SecureAggregation.DEFAULTS);
        assertThat(Scenario.load(scenario("secure_aggregation: false\n")).federation().secureAggregation()).isNull();
        assertThat(Scenario.load(scenario("secure_aggregation: {enabled: false}\n")).federation().secureAggregation()).isNull();
        var sa = Scenario.load(scenario("secure_aggregation: {clip_range: 4, stage_timeout_seconds: 12}\n"))
                .federation().secureAggregation();
        assertThat(sa.clipRange()).isEqualTo(4.0);
        assertThat(sa.stageTimeout()).isEqualTo(java.time.Duration.ofSeconds(12));
        assertThatThrownBy(() -> Scenario.load(scenario("secure_aggregation: {treshold: 2}\n")))
                .hasMessageContaining("line").hasMessageContaining("secure_aggregation.treshold: unknown key");
    }
}
