package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteDataConfigTest {
    @TempDir
    Path dir;

    private static final String EXAMPLE = """
            site:
              id: cleveland
            data:
              file: heart_disease/processed.cleveland.data
              format: csv
              header: false
              delimiter: ","
              missing_markers: ["?", ""]
              on_invalid_row: drop
              columns:
                - {name: age, index: 0, type: numeric}
                - {name: sex, index: 1, type: binary}
                - {name: cp, index: 2, type: categorical}
                - {name: chol, index: 4, type: numeric, missing_values: ["0"]}
                - {name: num, index: 13, type: numeric}
              label: {column: num, positive_if: "> 0"}
            split:
              file: heart_disease/flamby_split.csv
              site_column: center_name
              site_value: cleveland
              line_column: line_in_file
              set_column: set
            """;

    @Test
    void readsTheDocumentedExample() {
        SiteDataConfig c = SiteDataConfig.load(TestSites.write(dir, "site.yaml", EXAMPLE));
        assertThat(c.source()).isEqualTo(dir.resolve("site.yaml").toString());
        assertThat(c.siteId()).isEqualTo("cleveland");
        assertThat(c.file()).isEqualTo("heart_disease/processed.cleveland.data");
        assertThat(c.header()).isFalse();
        assertThat(c.delimiter()).isEqualTo(',');
        assertThat(c.missingMarkers()).containsExactlyInAnyOrder("?", "");
        assertThat(c.onInvalidRow()).isEqualTo(InvalidRowPolicy.DROP);
        assertThat(c.columns()).extracting(ColumnSpec::name).containsExactly("age", "sex", "cp", "chol", "num");
        assertThat(c.column("chol").orElseThrow().missingValues()).containsExactly("0");
        assertThat(c.column("cp").orElseThrow().type()).isEqualTo(FeatureType.CATEGORICAL);
        assertThat(c.column("num").orElseThrow().index()).isEqualTo(13);
        assertThat(c.label()).isEqualTo(new LabelRule("num", LabelRule.Comparison.GT, 0));
        assertThat(c.split()).isEqualTo(new SplitSpec.FromFile("heart_disease/flamby_split.csv", "center_name", "cleveland",
                "line_in_file", "set"));
    }

    @Test
    void seededSplitAndDefaults() {
        String yaml = EXAMPLE.replaceAll("(?s)split:.*", "split: {test_fraction: 0.34, seed: 42}\n")
                .replace("  on_invalid_row: drop\n", "").replace("  missing_markers: [\"?\", \"\"]\n", "");
        SiteDataConfig c = SiteDataConfig.load(TestSites.write(dir, "site.yaml", yaml));
        assertThat(c.split()).isEqualTo(new SplitSpec.Seeded(0.34, 42, true));
        assertThat(c.onInvalidRow()).isEqualTo(InvalidRowPolicy.FAIL);
        assertThat(c.missingMarkers()).isEqualTo(Set.of(""));
    }

    @Test
    void parsesTheSameKeysFromASubtreeOfAScenario() throws Exception {
        String scenario = "name: demo\nsites:\n" + EXAMPLE.indent(4).replaceFirst("    site:", "  - site:");
        YAMLConfiguration yaml = new YAMLConfiguration();
        yaml.read(new StringReader(scenario));
        SiteDataConfig c = SiteDataConfig.fromConfiguration(yaml.configurationAt("sites(0)"), "scenario.yaml: sites[0]");
        assertThat(c.siteId()).isEqualTo("cleveland");
        assertThat(c.columns()).hasSize(5);

        String broken = scenario.replace("type: numerc", "x").replace("{name: age, index: 0, type: numeric}", "{name: age, index: 0, type: numerc}");
        YAMLConfiguration bad = new YAMLConfiguration();
        bad.read(new StringReader(broken));
        assertThatThrownBy(() -> SiteDataConfig.fromConfiguration(bad.configurationAt("sites(0)"), "scenario.yaml: sites[0]"))
                .isInstanceOf(DataConfigException.class)
                .hasMessage("scenario.yaml: sites[0]: data.columns[0].type: unknown type 'numerc' (expected numeric|binary|categorical)");
    }

    @Test
    void unknownTypeNamesFileKeyAndValue() {
        String yaml = EXAMPLE.replace("{name: chol, index: 4, type: numeric", "{name: chol, index: 4, type: numerc");
        assertThatThrownBy(() -> SiteDataConfig.load(TestSites.write(dir, "site.yaml", yaml)))
                .isInstanceOf(DataConfigException.class)
                .hasMessage(dir.resolve("site.yaml") + " line 14: data.columns[3].type: unknown type 'numerc' (expected numeric|binary|categorical)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing site id          | '  id: cleveland'                      | ''                                            | site.yaml: site.id: missing",
            "unknown data key         | '  on_invalid_row: drop'               | '  on_invalid_rows: drop'                    | site.yaml line 9: data.on_invalid_rows: unknown key",
            "bad policy               | '  on_invalid_row: drop'               | '  on_invalid_row: skip'                     | site.yaml line 9: data.on_invalid_row: unknown policy 'skip'",
            "bad header flag          | '  header: false'                      | '  header: flase'                            | site.yaml line 6: data.header: expected true or false, found 'flase'",
            "bad format               | '  format: csv'                        | '  format: xlsx'                             | site.yaml line 5: data.format: unknown format 'xlsx'",
            "bad delimiter            | '  delimiter: \",\"'                   | '  delimiter: \";;\"'                        | site.yaml line 7: data.delimiter: expected exactly one character",
            "bad index                | '{name: sex, index: 1,'                | '{name: sex, index: one,'                    | site.yaml line 12: data.columns[1].index: expected an integer",
            "no index                 | '{name: sex, index: 1,'                | '{name: sex,'                                | site.yaml: data.columns[1].index: missing",
            "header name w/o header   | '{name: sex, index: 1,'                | '{name: sex, header: sex,'                   | site.yaml line 12: data.columns[1].header: data.header is false",
            "duplicate name           | '{name: sex, index: 1,'                | '{name: age, index: 1,'                      | site.yaml line 12: data.columns[1].name: duplicate column name 'age'",
            "duplicate index          | '{name: sex, index: 1,'                | '{name: sex, index: 0,'                      | site.yaml line 12: data.columns[1].index: same file column as data.columns[0].index",
            "unknown column key       | '{name: sex, index: 1,'                | '{name: sex, index: 1, missing: [x],'        | site.yaml line 12: data.columns[1].missing: unknown key",
            "label not a column       | '{column: num,'                        | '{column: nun,'                              | site.yaml line 16: data.label.column: 'nun' is not one of data.columns",
            "label categorical        | '{column: num,'                        | '{column: cp,'                               | site.yaml line 16: data.label.column: label column 'cp' must be numeric or binary",
            "bad operator             | 'positive_if: \"> 0\"'                 | 'positive_if: \"=> 0\"'                      | site.yaml line 16: data.label.positive_if: expected '<op> <number>'",
            "no split line column     | '  line_column: line_in_file'          | ''                                            | site.yaml: split.line_column: missing",
            "split both kinds         | '  set_column: set'                    | '  set_column: set\n  seed: 3'               | site.yaml line 18: split.file: give either a split file or",
    })
    void configErrorsNameFileLineAndKey(String name, String from, String to, String expected) {
        String yaml = EXAMPLE.replace(from, to.replace("\\n", "\n"));
        assertThat(yaml).isNotEqualTo(EXAMPLE);
        assertThatThrownBy(() -> SiteDataConfig.load(TestSites.write(dir, "site.yaml", yaml)))
                .isInstanceOf(DataConfigException.class)
                .hasMessageStartingWith(dir + java.io.File.separator + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{test_fraction: 0.3}'           | site.yaml: split.seed: missing (required: splits are never unseeded)",
            "'{seed: 1}'                      | site.yaml: split.test_fraction: missing",
            "'{test_fraction: 1.5, seed: 1}'  | site.yaml line 17: split.test_fraction: must be between 0 and 1",
            "'{test_fraction: 0.3, seed: 1, stratify: maybe}' | site.yaml line 17: split.stratify: expected true or false",
    })
    void seededSplitErrors(String split, String expected) {
        String yaml = EXAMPLE.replaceAll("(?s)split:.*", "split: " + split + "\n");
        assertThatThrownBy(() -> SiteDataConfig.load(TestSites.write(dir, "site.yaml", yaml)))
                .isInstanceOf(DataConfigException.class)
                .hasMessageStartingWith(dir + java.io.File.separator + expected);
    }

    @Test
    void labelRuleOperators() {
        assertThat(LabelRule.parse("num", "> 0").apply(1)).isEqualTo(1f);
        assertThat(LabelRule.parse("num", "> 0").apply(0)).isEqualTo(0f);
        assertThat(LabelRule.parse("num", ">= 2").apply(2)).isEqualTo(1f);
        assertThat(LabelRule.parse("num", "<0.5").apply(0)).isEqualTo(1f);
        assertThat(LabelRule.parse("num", "<= -1").apply(0)).isEqualTo(0f);
        assertThat(LabelRule.parse("num", "== 1").apply(1)).isEqualTo(1f);
        assertThat(LabelRule.parse("num", "!= 1").apply(1)).isEqualTo(0f);
    }
}
