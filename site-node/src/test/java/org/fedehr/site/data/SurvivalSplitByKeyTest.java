package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Survival labels (event rule + time column) and a split file that names rows by key with per-site set values. */
class SurvivalSplitByKeyTest {
    @TempDir
    Path dir;

    private static final String DATA = """
            pid,age,sex,cp,E,T
            p1,50,1,2,1.0,120.0
            p2,61,0,3,0.0,400
            p3,45,1,2,0,35
            p4,70,0,4,1,0
            p5,55,1,1,0,80
            """;

    private static final String SPLIT_FILE = """
            pid,fold,fold2
            p4,test,test_0
            p1,train,train_0
            p2,train,train_1
            p3,train,train_0
            """;

    private String yaml(String label, String split) {
        return """
                site:
                  id: a
                data:
                  file: d.csv
                  header: true
                  columns:
                    - {name: pid, index: 0, type: categorical}
                    - {name: age, index: 1, type: numeric}
                    - {name: sex, index: 2, type: binary}
                    - {name: cp, index: 3, type: categorical}
                    - {name: E, index: 4, type: numeric}
                    - {name: T, header: T, type: numeric}
                  label: %s
                split: %s
                """.formatted(label, split);
    }

    private static final String LABEL = "{column: E, positive_if: \"== 1\", time_column: T}";
    private static final String SPLIT = "{file: s.csv, key_column: pid, data_key: pid, set_column: fold2, train_value: train_0, test_value: test_0}";

    private SiteData load(String label, String split) {
        TestSites.write(dir, "d.csv", DATA);
        TestSites.write(dir, "s.csv", SPLIT_FILE);
        return SiteData.load(SiteDataConfig.load(TestSites.write(dir, "a.yaml", yaml(label, split))), dir, TestSites.DICT);
    }

    @Test
    void rowsCarryEventAndTimeAndAreSplitByKey() {
        SiteData d = load(LABEL, SPLIT);
        // split rows of other sites (train_1) and data rows not listed (p5) are left out; file order is kept
        assertThat(d.train()).extracting(Row::line).containsExactly(2, 4);
        assertThat(d.test()).extracting(Row::line).containsExactly(5);
        assertThat(FittedHarmonizer.labels(d.train())).containsExactly(1f, 0f);
        assertThat(FittedHarmonizer.times(d.train())).containsExactly(120f, 35f);
        assertThat(FittedHarmonizer.times(d.test())).containsExactly(0f);
        assertThat(d.report().excludedNotInSplit()).isEqualTo(2);
        assertThat(d.train().get(0).values()).containsExactly("50", "1", "2");
    }

    @Test
    void aBinaryLabelHasNoTimes() {
        SiteData d = load("{column: E, positive_if: \"== 1\"}", SPLIT);
        assertThat(d.train().get(0).hasTime()).isFalse();
        assertThat(FittedHarmonizer.times(d.train())).isNull();
    }

    @Test
    void badSurvivalAndKeyConfigsAreNamed() {
        assertThatThrownBy(() -> load("{column: E, positive_if: \"== 1\", time_column: X}", SPLIT))
                .hasMessageContaining("label.time_column").hasMessageContaining("'X' is not one of data.columns");
        assertThatThrownBy(() -> load("{column: E, positive_if: \"== 1\", time_column: cp}", SPLIT))
                .hasMessageContaining("time column 'cp' must be numeric");
        assertThatThrownBy(() -> load(LABEL, "{file: s.csv, key_column: pid, data_key: pid, line_column: x, set_column: fold2}"))
                .hasMessageContaining("either line_column or key_column");
        assertThatThrownBy(() -> load(LABEL, "{file: s.csv, key_column: pid, data_key: nope, set_column: fold2, train_value: train_0, test_value: test_0}"))
                .hasMessageContaining("data_key 'nope' is not one of the columns");
    }

    @Test
    void aKeyMissingFromTheDataOrANegativeTimeIsAnErrorWithoutTheValue() {
        TestSites.write(dir, "d.csv", DATA);
        TestSites.write(dir, "s.csv", "pid,fold2\np1,train_0\npX,test_0\n");
        assertThatThrownBy(() -> SiteData.load(SiteDataConfig.load(TestSites.write(dir, "a.yaml", yaml(LABEL, SPLIT))), dir, TestSites.DICT))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("s.csv: line 3, column 'pid'").hasMessageContaining("key is not in column 'pid' of d.csv")
                .hasMessageNotContaining("pX");
        TestSites.write(dir, "s.csv", SPLIT_FILE);
        TestSites.write(dir, "d.csv", DATA.replace("p3,45,1,2,0,35", "p3,45,1,2,0,-5"));
        assertThatThrownBy(() -> SiteData.load(SiteDataConfig.load(dir.resolve("a.yaml")), dir, TestSites.DICT))
                .hasMessageContaining("d.csv: line 4, column 'T'").hasMessageContaining("survival time is negative");
    }
}
