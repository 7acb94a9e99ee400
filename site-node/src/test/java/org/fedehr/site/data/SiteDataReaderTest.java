package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SiteDataReaderTest {
    @TempDir
    Path dir;

    private static final String SPLIT = """
            {file: split.csv, site_column: site, site_value: a, line_column: line, set_column: set}""";

    @Test
    void canonicalisesValuesAndMapsMissingMarkers() {
        TestSites.write(dir, "split.csv", "site,line,set\na,1,train\na,2,train\na,3,test\nb,1,train\n");
        SiteData d = TestSites.load(dir, "a", "63.0,1.0,4.0,0\n41,0,4,2\n?,1, asympt ,1\n", "", SPLIT);
        assertThat(d.train()).extracting(Row::line).containsExactly(1, 2);
        assertThat(d.test()).extracting(Row::line).containsExactly(3);
        assertThat(d.train().get(0).values()).containsExactly("63", "1", "4");
        assertThat(d.train().get(1).values()).containsExactly("41", "0", "4");
        assertThat(d.test().get(0).values()).containsExactly(null, "1", "asympt");
        assertThat(FittedHarmonizer.labels(d.train())).containsExactly(0f, 1f);
        assertThat(d.report().missingByFeature()).containsEntry("age", 1L).containsEntry("sex", 0L);
        assertThat(d.report().linesRead()).isEqualTo(3);
        assertThat(d.report().rowsKept()).isEqualTo(3);
    }

    @Test
    void siteSpecificMissingValuesCompareCanonically() {
        String yaml = TestSites.siteYaml("a", "a.csv", "", TestSites.SEEDED)
                .replace("{name: age, index: 0, type: numeric}", "{name: age, index: 0, type: numeric, missing_values: [\"0\", \"-9\"]}");
        TestSites.write(dir, "a.csv", "0.0,1,1,0\n-9,1,1,1\n50,1,1,0\n0,0,2,1\n");
        SiteData d = SiteData.load(SiteDataConfig.load(TestSites.write(dir, "a.yaml", yaml)), dir, TestSites.DICT);
        List<Row> all = new ArrayList<>(d.train());
        all.addAll(d.test());
        assertThat(all).filteredOn(r -> r.value(0) == null).hasSize(3);
        assertThat(d.report().missingByFeature()).containsEntry("age", 3L);
    }

    @Test
    void rowsNotInTheSplitFileAreExcludedAndCounted() {
        TestSites.write(dir, "split.csv", "site,line,set\na,2,test\na,5,train\nb,1,train\nb,3,train\n");
        SiteData d = TestSites.load(dir, "a", "50,1,1,0\n51,1,2,1\n52,0,3,0\n\n53,0,4,1\n", "", SPLIT);
        ReadReport r = d.report();
        assertThat(r.linesRead()).isEqualTo(5);
        assertThat(r.blankLines()).isEqualTo(1);
        assertThat(r.excludedNotInSplit()).isEqualTo(2);
        assertThat(r.trainRows()).isEqualTo(1);
        assertThat(r.testRows()).isEqualTo(1);
        assertThat(d.test()).extracting(Row::line).containsExactly(2);
        assertThat(d.train()).extracting(Row::line).containsExactly(5);   // physical line: the blank line 4 counts
    }

    @Test
    void aListedLineMissingFromTheDataFileIsAnErrorNamingTheSplitFile() {
        TestSites.write(dir, "split.csv", "site,line,set\na,1,train\na,9,test\n");
        assertThatThrownBy(() -> TestSites.load(dir, "a", "50,1,1,0\n51,1,2,1\n", "", SPLIT))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("split.csv").hasMessageContaining("line 3").hasMessageContaining("'line'")
                .hasMessageContaining("line 9 is not a data row of a.csv");
        TestSites.write(dir, "split.csv", "site,line,set\na,1,validation\n");
        assertThatThrownBy(() -> TestSites.load(dir, "a", "50,1,1,0\n51,1,2,1\n", "", SPLIT))
                .hasMessageContaining("split.csv: line 2, column 'set': expected train or test");
        TestSites.write(dir, "split.csv", "site,line,set\nb,1,train\n");
        assertThatThrownBy(() -> TestSites.load(dir, "a", "50,1,1,0\n", "", SPLIT))
                .hasMessageContaining("split.csv").hasMessageContaining("no rows for site 'a'");
    }

    @Test
    void headerFilesCanReferenceColumnsByName() {
        TestSites.write(dir, "h.csv", "id;num;cp;sex;age\r\nx;0;2;1;40\r\ny;1;4;0;60\r\n");
        String yaml = """
                site: {id: h}
                data:
                  file: h.csv
                  header: true
                  delimiter: ";"
                  columns:
                    - {name: age, header: age, type: numeric}
                    - {name: sex, header: sex, type: binary}
                    - {name: cp, index: 2, type: categorical}
                    - {name: num, header: num, type: numeric}
                  label: {column: num, positive_if: ">= 1"}
                split: {test_fraction: 0.5, seed: 1, stratify: true}
                """;
        SiteData d = SiteData.load(SiteDataConfig.load(TestSites.write(dir, "h.yaml", yaml)), dir, TestSites.DICT);
        List<Row> all = new ArrayList<>(d.train());
        all.addAll(d.test());
        all.sort(java.util.Comparator.comparingInt(Row::line));
        assertThat(all).extracting(Row::line).containsExactly(2, 3);   // physical lines; the header is line 1
        assertThat(all.get(1).values()).containsExactly("60", "0", "4");
        assertThat(all.get(1).label()).isEqualTo(1f);
        assertThat(d.report().linesRead()).isEqualTo(2);

        TestSites.write(dir, "h.csv", "id;num;cp;sex;years\nx;0;2;1;40\n");
        assertThatThrownBy(() -> SiteData.load(SiteDataConfig.load(dir.resolve("h.yaml")), dir, TestSites.DICT))
                .hasMessageContaining("h.csv: line 1, column 'age': header has no column 'age'");
    }

    @Test
    void seededSplitIsDeterministicStratifiedAndComplete() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 100; i++) data.append(30 + i % 40).append(",1,1,").append(i < 30 ? 1 : 0).append('\n');
        SiteData a = TestSites.load(dir, "s", data.toString(), "", "{test_fraction: 0.2, seed: 5, stratify: true}");
        SiteData b = TestSites.load(dir, "s", data.toString(), "", "{test_fraction: 0.2, seed: 5, stratify: true}");
        SiteData c = TestSites.load(dir, "s", data.toString(), "", "{test_fraction: 0.2, seed: 6, stratify: true}");
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.test()).isNotEqualTo(c.test());
        assertThat(a.test()).hasSize(20);
        assertThat(a.test()).filteredOn(r -> r.label() == 1f).hasSize(6);   // 20% of each class: 6 of 30, 14 of 70
        assertThat(a.report().excludedNotInSplit()).isZero();
        assertThat(a.train().size() + a.test().size()).isEqualTo(100);
        assertThat(a.train()).isSortedAccordingTo(java.util.Comparator.comparingInt(Row::line));
    }

    /** Each bad input: data, expected line, column, problem. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed row (too few fields) | 50,1,1,0\\n51,1,2\\n52,0,3,0 | 2 | num | WRONG_FIELD_COUNT",
            "malformed row (too many)       | 50,1,1,0\\n51,1,2,1\\n52,0,3,0,9 | 3 |   | WRONG_FIELD_COUNT",
            "non-numeric in numeric column  | 50,1,1,0\\nfifty,1,2,1\\n52,0,3,0 | 2 | age | NOT_A_NUMBER",
            "NaN is not a number            | 50,1,1,0\\nNaN,1,2,1\\n52,0,3,0 | 2 | age | NOT_A_NUMBER",
            "non-numeric in binary column   | 50,1,1,0\\n51,M,2,1\\n52,0,3,0 | 2 | sex | NOT_A_NUMBER",
            "bad binary value               | 50,1,1,0\\n51,1,2,1\\n52,2,3,0 | 3 | sex | NOT_BINARY",
            "missing label                  | 50,1,1,0\\n51,1,2,?\\n52,0,3,0 | 2 | num | MISSING_LABEL",
            "non-numeric label              | 50,1,1,0\\n51,1,2,yes\\n52,0,3,0 | 2 | num | NOT_A_NUMBER",
    })
    void badInputFailsNamingFileLineAndColumnOrIsDroppedAndCounted(String name, String data, int line, String column,
                                                                   DataProblem problem) {
        String text = data.replace("\\n", "\n") + "\n";
        assertThatThrownBy(() -> TestSites.load(dir, "bad", text, "", TestSites.SEEDED))
                .isInstanceOfSatisfying(DataFormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith("bad.csv: line " + line);
                    if (column != null) assertThat(e.getMessage()).contains("column '" + column + "'");
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    // the offending cell text is never echoed
                    for (String cell : List.of("fifty", "M", "yes", "NaN")) if (text.contains(cell)) assertThat(e.getMessage()).doesNotContain(cell);
                });

        SiteData d = TestSites.load(dir, "bad", text, "  on_invalid_row: drop\n", TestSites.SEEDED);
        ReadReport r = d.report();
        assertThat(r.linesRead()).isEqualTo(3);
        assertThat(r.rowsDropped()).isEqualTo(1);
        assertThat(r.dropped(problem)).isEqualTo(1);
        assertThat(r.summary()).endsWith("; 1 dropped (" + problem.label() + ": 1)");
        for (String cell : List.of("fifty", "M", "yes", "NaN")) if (text.contains(cell)) assertThat(r.summary()).doesNotContain(cell);
        assertThat(r.rowsKept()).isEqualTo(2);
        assertThat(d.train().size() + d.test().size()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n"})
    void emptyFileIsAnErrorEvenWhenDropping(String content) {
        assertThatThrownBy(() -> TestSites.load(dir, "empty", content, "", TestSites.SEEDED))
                .isInstanceOfSatisfying(DataFormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith("empty.csv: line 1");
                    assertThat(e.getMessage()).contains("no data rows");
                    assertThat(e.problem()).isEqualTo(DataProblem.EMPTY_FILE);
                });
        assertThatThrownBy(() -> TestSites.load(dir, "empty", content, "  on_invalid_row: drop\n", TestSites.SEEDED))
                .isInstanceOf(DataFormatException.class);
    }

    @Test
    void aSiteWhoseLabelsAreAllOneClassLoads() {
        SiteData d = TestSites.load(dir, "one", "50,1,1,2\n51,1,2,1\n52,0,3,3\n53,0,3,4\n", "", TestSites.SEEDED);
        assertThat(d.train().size() + d.test().size()).isEqualTo(4);
        assertThat(FittedHarmonizer.labels(d.train())).containsOnly(1f);
    }

    @Test
    void rowToStringHidesValues() {
        assertThat(new Row(7, new String[] {"63", "1", "4"}, 1f).toString()).isEqualTo("Row[line=7, 3 values]");
    }

    @Test
    void aMissingDataFileIsNamedWithSiteConfigAndDataRootBeforeAnythingIsRead() {
        Path cfg = TestSites.write(dir, "conf/a.yaml", TestSites.siteYaml("a", "heart_disease/a.csv", "", SPLIT));
        SiteDataConfig c = SiteDataConfig.load(cfg);
        Path root = dir.resolve("empty");
        assertThatThrownBy(() -> SiteData.load(c, root, TestSites.DICT))
                .isInstanceOfSatisfying(DataFileMissingException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("site a (" + cfg + "): data file heart_disease/a.csv not found under data root " + root);
                    assertThat(e.role()).isEqualTo("data file");
                    assertThat(e.configured()).isEqualTo("heart_disease/a.csv");
                    assertThat(e.dataRoot()).isEqualTo(root);
                })
                .hasMessageNotContaining("line 1").hasMessageNotContaining("Exception");
    }

    @Test
    void aMissingSplitFileIsNamedTooAndChecksNeedNoRead() {
        TestSites.write(dir, "a.csv", "50,1,1,0\n");
        SiteDataConfig c = SiteDataConfig.load(TestSites.write(dir, "a.yaml", TestSites.siteYaml("a", "a.csv", "", SPLIT)));
        assertThatThrownBy(() -> SiteData.requireFiles(c, dir))
                .isInstanceOf(DataFileMissingException.class)
                .hasMessage("site a (" + dir.resolve("a.yaml") + "): split file split.csv not found under data root " + dir);
        assertThatThrownBy(() -> SiteData.load(c, dir, TestSites.DICT)).isInstanceOf(DataFileMissingException.class);
        TestSites.write(dir, "split.csv", "site,line,set\na,1,train\n");
        SiteData.requireFiles(c, dir);
    }

    @Test
    void anAbsolutePathIsReportedWithoutTheDataRoot() {
        Path abs = dir.resolve("nowhere/a.csv");
        SiteDataConfig c = SiteDataConfig.load(TestSites.write(dir, "a.yaml", TestSites.siteYaml("a", abs.toString(), "", TestSites.SEEDED)));
        assertThatThrownBy(() -> SiteData.requireFiles(c, dir.resolve("root")))
                .hasMessage("site a (" + dir.resolve("a.yaml") + "): data file " + abs + " not found");
    }

    @Test
    void anUnreadableFileSaysWhyWithoutALineOrAClassName() {
        assertThatThrownBy(() -> SiteDataReader.readLines(dir, "a.csv"))     // a directory where the file should be
                .isInstanceOfSatisfying(DataFormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith("a.csv: cannot read file (").doesNotContain("line").doesNotContain("Exception");
                    assertThat(e.line()).isZero();
                    assertThat(e.problem()).isEqualTo(DataProblem.UNREADABLE);
                });
        assertThat(SiteDataReader.why(new java.nio.file.AccessDeniedException(dir.resolve("a.csv").toString()))).isEqualTo("permission denied");
        assertThat(SiteDataReader.why(new java.nio.charset.MalformedInputException(1))).isEqualTo("not UTF-8 text");
        assertThat(SiteDataReader.why(new java.io.IOException("Is a directory"))).isEqualTo("Is a directory");
        assertThat(SiteDataReader.why(new java.io.IOException())).isEqualTo("I/O error");
    }
}
