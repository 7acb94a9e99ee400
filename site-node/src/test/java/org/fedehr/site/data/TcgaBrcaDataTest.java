package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The six Fed-TCGA-BRCA site configs (configs/sites/tcga-brca) against FLamby's static split: the per-region train/test
 * counts of tcga_brca/SOURCE.md and the event counts. Needs FEDEHR_DATA (the directory holding tcga_brca/).
 */
class TcgaBrcaDataTest {
    private static final List<String> SITES = List.of("northeast", "south", "west", "midwest", "europe", "canada");
    private static final Path CONFIGS = Path.of("../configs");
    private Path dataRoot;

    @BeforeEach
    void requireData() {
        String root = System.getenv("FEDEHR_DATA");
        Assumptions.assumeTrue(root != null && !root.isBlank(),
                "FEDEHR_DATA is not set: skipping the Fed-TCGA-BRCA checks (set it to the directory holding tcga_brca/)");
        dataRoot = Path.of(root);
        Assumptions.assumeTrue(Files.isRegularFile(dataRoot.resolve("tcga_brca/brca.csv")),
                "FEDEHR_DATA=" + root + " has no tcga_brca/brca.csv: skipping");
    }

    @Test
    void regionsHoldFlambysTrainAndTestPatients() {
        FeatureDictionary dict = FeatureDictionary.load(CONFIGS.resolve("federations/tcga-brca/features.yaml"));
        assertThat(dict.size()).isEqualTo(39);
        int[][] expected = {{248, 63}, {156, 40}, {164, 42}, {129, 33}, {129, 33}, {40, 11}};
        int train = 0, test = 0, events = 0;
        for (int s = 0; s < SITES.size(); s++) {
            SiteData d = SiteData.load(SiteDataConfig.load(CONFIGS.resolve("sites/tcga-brca/" + SITES.get(s) + ".yaml")), dataRoot, dict);
            assertThat(d.train()).as(SITES.get(s) + " train").hasSize(expected[s][0]);
            assertThat(d.test()).as(SITES.get(s) + " test").hasSize(expected[s][1]);
            assertThat(d.report().linesRead()).isEqualTo(1096);
            assertThat(d.report().rowsDropped()).isZero();
            float[] times = FittedHarmonizer.times(d.train());
            assertThat(times).hasSize(expected[s][0]);
            for (float t : times) assertThat(t).isGreaterThanOrEqualTo(0f);
            train += d.train().size();
            test += d.test().size();
            for (Row r : d.train()) events += (int) r.label();
            for (Row r : d.test()) events += (int) r.label();
        }
        assertThat(train).isEqualTo(866);
        assertThat(test).isEqualTo(222);
        assertThat(events).isBetween(140, 151);   // 151 events among all 1096 rows; the 8 rows outside the split may hold some
    }
}
