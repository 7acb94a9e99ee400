package org.fedehr.simulations;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grid expansion: how many configurations, in which order, what each overrides, and how bad grids are refused. */
class ScenarioGridTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void federation() throws IOException {
        GridFixture.writeFederation(dir);
    }

    private static ScenarioGrid load(String tail) throws IOException {
        return ScenarioGrid.load(GridFixture.scenario(dir, tail));
    }

    @Test
    void settingsExpandAsACartesianProductLastSettingFastestEverySeedForEach() throws IOException {
        ScenarioGrid g = load("""
                grid:
                  strategies: [fedavg]
                  seeds: [42, 43, 44]
                  settings:
                    training.learning_rate: [0.01, 0.05]
                    federation.rounds: [3, 5, 7]
                """);
        assertThat(g.seeds()).containsExactly(42L, 43L, 44L);
        assertThat(g.configurations()).hasSize(1 * 2 * 3);
        assertThat(g.runs()).isEqualTo(18);
        assertThat(g.configurations()).extracting(GridConfiguration::id).containsExactly("c1", "c2", "c3", "c4", "c5", "c6");
        assertThat(g.configurations()).extracting(GridConfiguration::label).containsExactly(
                "fedavg learning_rate=0.01, rounds=3", "fedavg learning_rate=0.01, rounds=5", "fedavg learning_rate=0.01, rounds=7",
                "fedavg learning_rate=0.05, rounds=3", "fedavg learning_rate=0.05, rounds=5", "fedavg learning_rate=0.05, rounds=7");
        // each configuration is the scenario with exactly those keys changed
        double[] lr = {0.01, 0.01, 0.01, 0.05, 0.05, 0.05};
        int[] rounds = {3, 5, 7, 3, 5, 7};
        for (int i = 0; i < 6; i++) {
            Scenario sc = g.configurations().get(i).scenario();
            assertThat(sc.federation().training().learningRate()).isEqualTo(lr[i]);
            assertThat(sc.federation().policy().rounds()).isEqualTo(rounds[i]);
            assertThat(sc.federation().training().batchSize()).isEqualTo(16);          // untouched keys keep their value
            assertThat(sc.baselineTraining().learningRate()).isEqualTo(0.1);
            assertThat(sc.federation().strategy()).isEqualTo("fedavg");
            assertThat(g.configurations().get(i).settings()).containsExactly(
                    Map.entry("training.learning_rate", String.valueOf(lr[i])), Map.entry("federation.rounds", String.valueOf(rounds[i])));
        }
    }

    @Test
    void withoutStrategiesSeedsOrSettingsTheGridIsTheScenarioItself() throws IOException {
        ScenarioGrid g = load("grid: {settings: {federation.rounds: [4]}}\n");
        assertThat(g.strategies()).containsExactly("fedavg");
        assertThat(g.seeds()).containsExactly(11L);
        assertThat(g.configurations()).hasSize(1);
        assertThat(g.configurations().get(0).scenario().federation().policy().rounds()).isEqualTo(4);
        assertThat(g.withSeeds(List.of(5L, 6L)).runs()).isEqualTo(2);
    }

    @Test
    void nestedAndDottedSettingsAreTheSameAndKeysAbsentFromTheFileCanBeSet() throws IOException {
        ScenarioGrid nested = load("""
                grid:
                  settings:
                    training: {learning_rate: [0.2, 0.3]}
                    federation: {quorum: [2]}
                """);
        assertThat(nested.settings()).containsOnlyKeys("training.learning_rate", "federation.quorum");
        assertThat(nested.configurations()).extracting(c -> c.scenario().federation().training().learningRate()).containsExactly(0.2, 0.3);
        assertThat(nested.configurations()).extracting(c -> c.scenario().federation().policy().quorum()).containsExactly(2, 2);
        // min_sites is not in the file: it defaults to the number of sites, and a setting may still vary it
        ScenarioGrid absent = load("grid: {settings: {federation.min_sites: [2, 3], model.l2: [0.0, 0.01]}}\n");
        assertThat(absent.configurations()).extracting(c -> c.scenario().federation().policy().minSites()).containsExactly(2, 2, 3, 3);
        assertThat(absent.configurations()).extracting(c -> c.scenario().federation().model().get("l2").toString())
                .containsExactly("0.0", "0.01", "0.0", "0.01");
        // two settings with the same last segment are labelled by their whole key
        ScenarioGrid twice = load("grid: {settings: {training.learning_rate: [0.2], baselines.learning_rate: [0.3]}}\n");
        assertThat(twice.configurations().get(0).label()).isEqualTo("fedavg training.learning_rate=0.2, baselines.learning_rate=0.3");
        assertThat(twice.configurations().get(0).scenario().baselineTraining().learningRate()).isEqualTo(0.3);
    }

    @Test
    void strategyEntriesCarryTheirParametersAndTheScenariosOwnBelongToItsOwnStrategy() throws IOException {
        Path f = dir.resolve("slr.yaml");
        java.nio.file.Files.writeString(f, GridFixture.HEAD.replace("strategy: fedavg,", "strategy: fedavg, server_learning_rate: 0.7,") + """
                grid:
                  strategies: [fedavg, {name: fedprox, mu: 0.1}, {name: fedadam, eta: 0.05, tau: 0.01}, fedyogi]
                """);
        ScenarioGrid g = ScenarioGrid.load(f);
        assertThat(g.strategies()).containsExactly("fedavg", "fedprox(mu=0.1)", "fedadam(eta=0.05, tau=0.01)", "fedyogi");
        assertThat(g.configurations()).extracting(GridConfiguration::strategy).containsExactly("fedavg", "fedprox", "fedadam", "fedyogi");
        List<FederationSpec> feds = g.configurations().stream().map(c -> c.scenario().federation()).toList();
        // the scenario's own strategy keeps its server learning rate; the others get their entry's parameters only
        assertThat(feds.get(0).serverLearningRate()).isEqualTo(0.7);
        assertThat(feds.get(1).strategyParams()).containsOnlyKeys("mu");
        assertThat(Double.parseDouble(feds.get(1).strategyParams().get("mu").toString())).isEqualTo(0.1);
        assertThat(feds.get(2).strategyParams()).containsOnlyKeys("eta", "tau");
        assertThat(feds.get(3).strategyParams()).isEmpty();
        assertThat(g.configurations().get(1).strategyParams()).containsExactly(Map.entry("mu", "0.1"));
        // a parameter the strategy does not take is the factory's error, named by the grid entry
        assertThatThrownBy(() -> load("grid: {strategies: [{name: fedavg, mu: 0.1}]}\n"))
                .hasMessageContaining("grid.strategies: configuration c1 (fedavg(mu=0.1))").hasMessageContaining("mu");
    }

    @Test
    void strategyEntriesAreNamesOrMappingsWithAName() {
        assertThatThrownBy(() -> load("grid: {strategies: [{mu: 0.01}]}\n")).hasMessageContaining("grid.strategies[0]: missing name");
        assertThatThrownBy(() -> load("grid: {strategies: [fedavg, {name: fedavg, p: 1}, {name: fedavg, p: 1}]}\n"))
                .hasMessageContaining("strategy 'fedavg(p=1)' is listed twice");
        assertThatThrownBy(() -> load("grid: {strategies: [{name: fedavg, p: {q: 1}}]}\n"))
                .hasMessageContaining("grid.strategies[0]: p: a strategy parameter must be a single value");
    }

    @Test
    void unknownStrategyGivesTheFactorysErrorNamingTheGridKey() {
        assertThatThrownBy(() -> load("grid: {strategies: [fedavg, fedbogus]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("grid.yaml line 10: grid.strategies")
                .hasMessageContaining("configuration c2 (fedbogus)")
                .hasMessageContaining("federation.strategy")
                .hasMessageContaining("fedbogus");
        assertThatThrownBy(() -> load("grid: {strategies: [fedavg, fedavg]}\n")).hasMessageContaining("'fedavg' is listed twice");
    }

    @Test
    void badSettingKeysAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("grid: {settings: {training.learnin_rate: [0.1]}}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("grid.settings")
                .hasMessageContaining("training.learnin_rate: unknown key");
        assertThatThrownBy(() -> load("grid: {settings: {federaton.rounds: [3]}}\n"))
                .hasMessageContaining("federaton: unknown key");
        assertThatThrownBy(() -> load("grid: {settings: {model.depth: [3]}}\n"))
                .hasMessageContaining("grid.settings").hasMessageContaining("depth");
        assertThatThrownBy(() -> load("grid: {settings: {federation: [3]}}\n"))
                .hasMessageContaining("federation: is a mapping in the scenario, not a single value");
        assertThatThrownBy(() -> load("grid: {settings: {sites: [A.yaml]}}\n"))
                .hasMessageContaining("sites: is a list in the scenario");
        assertThatThrownBy(() -> load("grid: {settings: {secure_aggregation.threshold: [2]}}\n"))
                .hasMessageContaining("secure_aggregation.threshold: cannot be set, because secure_aggregation is a single value");
        assertThatThrownBy(() -> load("grid: {settings: {seed: [1, 2]}}\n"))
                .hasMessageContaining("seed: cannot be a setting (list the seeds under grid.seeds)");
        assertThatThrownBy(() -> load("grid: {settings: {federation.strategy: [fedavg]}}\n"))
                .hasMessageContaining("grid.strategies");
        assertThatThrownBy(() -> load("grid: {settings: {federation.rounds: [3, 3]}}\n"))
                .hasMessageContaining("federation.rounds: value 3 is listed twice");
        assertThatThrownBy(() -> load("grid: {strategy: [fedavg]}\n"))
                .hasMessageContaining("grid.strategy: unknown key (expected one of [seeds, settings, strategies])");
    }

    @Test
    void badSettingValuesAreRefusedByTheScenarioChecksBeforeAnythingRuns() {
        assertThatThrownBy(() -> load("grid: {settings: {federation.rounds: [2, 0]}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("grid.settings: configuration c2 (fedavg rounds=0)")
                .hasMessageContaining("federation");
        assertThatThrownBy(() -> load("grid: {settings: {training.learning_rate: [fast]}}\n"))
                .hasMessageContaining("training.learning_rate: expected a number, found 'fast'");
    }

    @Test
    void theCommandLinesModeAppliesToEveryConfigurationButNotToInjectedFaults() throws IOException {
        ScenarioGrid g = load("grid: {settings: {training.learning_rate: [0.1, 0.2]}}\n").withMode(ExecutionMode.IN_PROCESS, 2);
        assertThat(g.configurations()).allSatisfy(c -> {
            assertThat(c.scenario().mode()).isEqualTo(ExecutionMode.IN_PROCESS);
            assertThat(c.scenario().workers()).isEqualTo(2);
        });
        ScenarioGrid faulty = load("faults: {dropout: {probability: 0.1}}\ngrid: {settings: {faults.dropout.probability: [0.0, 0.3]}}\n");
        assertThat(faulty.configurations()).extracting(c -> c.scenario().faults().dropout().probability()).containsExactly(0.0, 0.3);
        assertThatThrownBy(() -> faulty.withMode(ExecutionMode.IN_PROCESS, null))
                .hasMessageContaining("--mode in-process: configuration c1 (fedavg probability=0.0) injects faults");
    }

    @Test
    void badSeedsAreRefused() {
        assertThatThrownBy(() -> load("grid: {seeds: [42, 0]}\n")).hasMessageContaining("grid.seeds[1]: seed 0 is not allowed");
        assertThatThrownBy(() -> load("grid: {seeds: [42, 42]}\n")).hasMessageContaining("seed 42 is listed twice");
        assertThatThrownBy(() -> load("grid: {seeds: [forty]}\n")).hasMessageContaining("expected an integer seed, found 'forty'");
    }

    @Test
    void aScenarioWithoutGridIsNotAGridAndLoadsAsBefore() throws IOException {
        Path f = GridFixture.scenario(dir, "");
        assertThat(ScenarioGrid.declaredIn(f)).isFalse();
        assertThat(Scenario.load(f).federation().policy().rounds()).isEqualTo(1);
        Path g = GridFixture.scenario(dir, "grid: {seeds: [1]}\n");
        assertThat(ScenarioGrid.declaredIn(g)).isTrue();
        assertThat(Scenario.load(g).seed()).isEqualTo(11L);      // the base scenario, grid not expanded
    }
}
