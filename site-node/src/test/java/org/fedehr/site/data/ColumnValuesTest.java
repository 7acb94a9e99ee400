package org.fedehr.site.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw values of a non-feature column by line: what a natural partition by column groups rows by. */
class ColumnValuesTest {
    @TempDir
    Path dir;

    @Test
    void readsAColumnByHeaderOrIndexForEveryDataLine() {
        TestSites.write(dir, "d.csv", "age,sex,cp,num,hospital\n50,1,2,0, 73\n\n61,0,4,1,\"ward, b\"\n");
        Path cfg = TestSites.write(dir, "s.yaml", """
                site: {id: s}
                data:
                  file: d.csv
                  header: true
                  columns:
                    - {name: age, header: age, type: numeric}
                    - {name: sex, header: sex, type: binary}
                    - {name: cp, header: cp, type: categorical}
                    - {name: num, header: num, type: numeric}
                    - {name: hospital, header: hospital, type: categorical}
                  label: {column: num, positive_if: "> 0"}
                split: {test_fraction: 0.5, seed: 1}
                """);
        SiteDataConfig c = SiteDataConfig.load(cfg);
        assertThat(ColumnValues.read(c, dir, "hospital")).isEqualTo(Map.of(2, "73", 4, "ward, b"));
        assertThat(ColumnValues.read(c, dir, "cp")).isEqualTo(Map.of(2, "2", 4, "4"));
        assertThatThrownBy(() -> ColumnValues.read(c, dir, "ward")).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("s.yaml: no column 'ward' in data.columns");
    }

    @Test
    void aShortRowIsNamedByLine() {
        TestSites.write(dir, "p.csv", "50,1,2,0,9\n61,0\n");
        Path cfg = TestSites.write(dir, "p.yaml", """
                site: {id: p}
                data:
                  file: p.csv
                  columns:
                    - {name: age, index: 0, type: numeric}
                    - {name: num, index: 3, type: numeric}
                    - {name: hospital, index: 4, type: categorical}
                  label: {column: num, positive_if: "> 0"}
                split: {test_fraction: 0.5, seed: 1}
                """);
        assertThatThrownBy(() -> ColumnValues.read(SiteDataConfig.load(cfg), dir, "hospital")).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("2");
    }
}
