package org.fedehr.simulations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a newcomer meets first: a wrong data root, a bad site config, a typo in the scenario. Every such error fails
 * before the run prints anything and names the file (as given), the line and the key or the missing file.
 */
class ScenarioPreflightTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    static final String SITE = """
            site: {id: %s}
            data:
              file: %s
              columns:
                - {name: a, index: 0, type: numeric}
                - {name: y, index: 1, type: binary}
              label: {column: y, positive_if: "== 1"}
            split: %s
            """;

    Path scenario(String federation) throws IOException {
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: a, type: numeric}]\n");
        Files.writeString(dir.resolve("s1.yaml"), SITE.formatted("s1", "d/s1.csv", "{test_fraction: 0.5, seed: 3}"));
        Files.writeString(dir.resolve("s2.yaml"), SITE.formatted("s2", "d/s2.csv", "{file: d/split.csv, line_column: line, set_column: set}"));
        Path p = dir.resolve("scenario.yaml");
        Files.writeString(p, """
                name: t
                seed: 5
                features: f.yaml
                sites: [s1.yaml, s2.yaml]
                federation:
                  %s
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                """.formatted(federation));
        return p;
    }

    void data(String... files) throws IOException {
        Files.createDirectories(dir.resolve("root/d"));
        for (String f : files) Files.writeString(dir.resolve("root/d").resolve(f), "1,0\n2,1\n3,0\n4,1\n");
    }

    @Test
    void theNewcomersCaseAnEmptyDataRootIsExplainedBeforeAnyOutput() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Scenario sc = Scenario.load(Path.of("../configs/simulations/heart-disease.yaml"));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, empty, List.of(), null, out, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("site cleveland (../configs/sites/heart-disease/cleveland.yaml): data file "
                        + "heart_disease/processed.cleveland.data not found under data root " + empty + " (set --data-root or "
                        + "FEDEHR_DATA to the folder holding heart_disease/, or run: fedehr data fetch heart-disease --to DIR)");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withOnlyTheDownloadedFilesTheMissingFlambySplitPointsToTheSeededScenario() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/heart_disease"));
        for (String f : org.fedehr.simulations.data.DataFetcher.HEART_DISEASE_MD5.keySet()) Files.writeString(root.resolve(f), "1\n");
        Scenario sc = Scenario.load(Path.of("../configs/simulations/heart-disease.yaml"));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, root.getParent(), List.of(), null, out, false))
                .hasMessage("site cleveland (../configs/sites/heart-disease/cleveland.yaml): split file heart_disease/flamby_split.csv"
                        + " not found under data root " + root.getParent() + " (set --data-root or FEDEHR_DATA to the folder holding"
                        + " heart_disease/; flamby_split.csv is not published by UCI and `fedehr data fetch` does not provide it:"
                        + " configs/simulations/heart-disease-seeded.yaml runs on the four downloaded files alone)");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aMissingFileOfALaterSiteFailsBeforeAnyOutput() throws IOException {
        Scenario sc = Scenario.load(scenario("rounds: 1"));
        data("s1.csv", "s2.csv");
        assertThatThrownBy(() -> ScenarioRunner.run(sc, dir.resolve("root"), List.of(), null, out, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("site s2 (" + dir.resolve("s2.yaml") + "): split file d/split.csv not found under data root "
                        + dir.resolve("root") + " (set --data-root or FEDEHR_DATA to the folder holding d/)");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aBadSiteConfigFailsBeforeAnyOutputWithFileLineAndKey() throws IOException {
        Scenario sc = Scenario.load(scenario("rounds: 1"));
        data("s1.csv", "s2.csv");
        Files.writeString(dir.resolve("s2.yaml"), SITE.formatted("s2", "d/s2.csv", "{test_fraction: 0.5, seed: 3}")
                .replace("type: binary", "type: binray"));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, dir.resolve("root"), List.of(), null, out, false))
                .hasMessage(dir.resolve("s2.yaml") + " line 6: data.columns[1].type: unknown type 'binray' (expected numeric|binary|categorical)");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aMalformedDataFileNamesTheSiteAndItsConfig() throws IOException {
        Scenario sc = Scenario.load(scenario("rounds: 1"));
        data("s1.csv", "s2.csv");
        Files.writeString(dir.resolve("root/d/split.csv"), "line,set\n1,train\n2,test\n");
        Files.writeString(dir.resolve("root/d/s1.csv"), "1,0\nabc,1\n");
        assertThatThrownBy(() -> Simulation.loadSites(sc, dir.resolve("root")))
                .hasMessage("site s1 (" + dir.resolve("s1.yaml") + "): s1.csv: line 2, column 'a': value is not a number (column type numeric)")
                .hasMessageNotContaining("abc");
    }

    @Test
    void seedZeroAmongSeveralFailsBeforeTheFirstRun() throws IOException {
        Scenario sc = Scenario.load(scenario("rounds: 1"));
        assertThatThrownBy(() -> ScenarioRunner.run(sc, dir.resolve("root"), List.of(3L, 0L), null, out, false))
                .hasMessageContaining("seed 0 is not allowed");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key          | 'roundz: 20'             | line 6: federation.roundz: unknown key (expected one of [",
            "not an integer       | 'rounds: many'           | line 6: federation.rounds: expected an integer, found 'many'",
            "unknown strategy     | 'strategy: fedsgd'       | line 6: federation.strategy: unknown strategy 'fedsgd' (available: fedavg, fedprox, scaffold, ditto, fedadam, fedyogi, fedadagrad, fedmedian, trimmed_mean, krum)",
            "flow mapping         | '{rounds: 1, quorm: 2}'  | line 5: federation.quorm: unknown key",
            "section-level        | 'rounds: 0'              | line 5: federation: ",
    })
    void scenarioErrorsNameFileLineAndKey(String name, String federation, String expected) throws IOException {
        Path p = scenario(federation);
        String yaml = Files.readString(p);
        if (federation.startsWith("{")) Files.writeString(p, yaml.replace("federation:\n  " + federation, "federation: " + federation));
        assertThatThrownBy(() -> Scenario.load(p)).isInstanceOf(ConfigException.class).hasMessageStartingWith(p + " " + expected);
    }

    @Test
    void aMissingScenarioKeyHasNoLine() throws IOException {
        Path p = scenario("rounds: 1");
        Files.writeString(p, Files.readString(p).replace("model: {kind: logistic}\n", ""));
        assertThatThrownBy(() -> Scenario.load(p)).hasMessageStartingWith(p + ": model: missing (required)");
    }
}
