package org.fedehr.protocol.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class YamlLinesTest {
    static final String SCENARIO = """
            # a comment mentioning rounds: 3
            name: demo
            sites:
              - a.yaml
              - b.yaml
            federation:
              strategy: fedavg
              rounds: 20
            training: {epochs: 1, rounds: 7,
                       batch_size: 4}
            data:
              columns:
                - {name: age, index: 0, type: numeric}
                - name: sex
                  type: binary
              label: {column: num, positive_if: "> 0"}
            "quoted": 1
            """;

    @ParameterizedTest(name = "{0} -> line {1}")
    @CsvSource({
            "name,                      2",
            "sites,                     3",
            "sites[0],                  4",
            "sites[1],                  5",
            "federation,                6",
            "federation.rounds,         8",   // not the comment on line 1, not training.rounds on line 9
            "training.rounds,           9",
            "training.batch_size,       10",  // multi-line flow mapping
            "data.columns[0].type,      13",
            "data.columns(0).index,     13",  // Commons Configuration index syntax
            "data.columns[1],           14",
            "data.columns[1].type,      15",
            "data.label.positive_if,    16",
            "quoted,                    17",
    })
    void findsTheLineOfAKeyUnderItsParents(String path, int line) {
        assertThat(YamlLines.of(SCENARIO).line(path)).hasValue(line);
    }

    @ParameterizedTest(name = "{0} has no line")
    @CsvSource({
            "federation.quorum",      // absent (a "missing" error): no line rather than a wrong one
            "sites[2]",
            "name.sub",
            "data.columns[5].type",
            "nothing",
            "''",
    })
    void absentKeysHaveNoLine(String path) {
        assertThat(YamlLines.of(SCENARIO).line(path)).isEmpty();
    }

    @Test
    void locateNamesSourceAndLineOrSourceAlone() {
        YamlLines y = YamlLines.of(SCENARIO);
        assertThat(y.locate("configs/x.yaml", "federation.rounds")).isEqualTo("configs/x.yaml line 8");
        assertThat(y.locate("configs/x.yaml", "federation.quorum")).isEqualTo("configs/x.yaml");
    }

    @Test
    void mergeKeysFallBackToScanningTheTextPreferringTheRightParent() {
        String yaml = """
                defaults: &d
                  roundz: 1
                federation:
                  <<: *d
                  strategy: fedavg
                other:
                  roundz: 2
                """;
        YamlLines y = YamlLines.of(yaml);
        assertThat(y.line("other.roundz")).hasValue(7);
        assertThat(y.line("federation.strategy")).hasValue(5);
        assertThat(y.line("defaults.roundz")).hasValue(2);
    }

    @Test
    void textThatDoesNotComposeIsScanned() {
        String yaml = "a:\n  b: [1, 2\n  c: {x: 1, roundz: 3}\n";   // unclosed flow sequence
        assertThat(YamlLines.of(yaml).line("a.roundz")).hasValue(3);
    }

    @Test
    void readsFilesAndToleratesUnreadableOnes(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("s.yaml"), "a:\n  b: 1\n");
        assertThat(YamlLines.of(f).line("a.b")).hasValue(2);
        assertThat(YamlLines.of(dir.resolve("absent.yaml")).line("a.b")).isEmpty();
    }
}
