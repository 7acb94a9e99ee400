package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks the four UCI heart-disease site configs (test resources heart_disease/*.yaml) against FLamby's derived
 * files. Needs the data root (the directory holding heart_disease/) in the FEDEHR_DATA environment variable.
 */
class HeartDiseaseDataTest {
    private static final List<String> SITES = List.of("cleveland", "hungarian", "switzerland", "va");
    private static Path dataRoot;
    private static Path configDir;

    /** Per test (not @BeforeAll) so that each test is reported as skipped, with this message, when the data is absent. */
    @BeforeEach
    void requireData() throws URISyntaxException {
        String root = System.getenv("FEDEHR_DATA");
        Assumptions.assumeTrue(root != null && !root.isBlank(),
                "FEDEHR_DATA is not set: skipping the UCI heart-disease checks (set it to the directory holding heart_disease/)");
        dataRoot = Path.of(root);
        Assumptions.assumeTrue(Files.isRegularFile(dataRoot.resolve("heart_disease/flamby_features_unnormalised.csv")),
                "FEDEHR_DATA=" + root + " has no heart_disease/flamby_features_unnormalised.csv: skipping");
        configDir = Path.of(HeartDiseaseDataTest.class.getResource("/heart_disease/features.yaml").toURI()).getParent();
    }

    private static SiteData load(String site, FeatureDictionary dict) {
        return SiteData.load(SiteDataConfig.load(configDir.resolve(site + ".yaml")), dataRoot, dict);
    }

    @Test
    void splitCountsAreFlambys() {
        FeatureDictionary dict = FeatureDictionary.load(configDir.resolve("features.yaml"));
        int[][] expected = {{199, 104}, {172, 89}, {30, 16}, {85, 45}};
        int[] fileRows = {303, 294, 123, 200};
        for (int s = 0; s < SITES.size(); s++) {
            SiteData d = load(SITES.get(s), dict);
            assertThat(d.train()).as(SITES.get(s) + " train").hasSize(expected[s][0]);
            assertThat(d.test()).as(SITES.get(s) + " test").hasSize(expected[s][1]);
            ReadReport r = d.report();
            assertThat(r.linesRead()).isEqualTo(fileRows[s]);
            assertThat(r.rowsDropped()).isZero();
            assertThat(r.excludedNotInSplit()).isEqualTo(fileRows[s] - expected[s][0] - expected[s][1]);
        }
    }

    @Test
    void rawValuesAndLabelsMatchFlamby() throws IOException {
        FeatureDictionary dict = FeatureDictionary.load(configDir.resolve("features.yaml"));
        List<String> lines = Files.readAllLines(dataRoot.resolve("heart_disease/flamby_features_unnormalised.csv"));
        List<String> head = List.of(lines.get(0).split(","));
        Map<String, String[]> flamby = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            flamby.put(f[head.indexOf("center_name")] + ":" + f[head.indexOf("line_in_file")], f);
        }
        List<String> direct = List.of("age", "trestbps", "thalach", "oldpeak", "sex", "fbs", "exang", "chol");
        int checked = 0;
        for (String site : SITES) {
            SiteData d = load(site, dict);
            List<Row> rows = new ArrayList<>(d.train());
            rows.addAll(d.test());
            for (Row r : rows) {
                String[] f = flamby.get(site + ":" + r.line());
                assertThat(f).as(site + " line " + r.line() + " in FLamby").isNotNull();
                String set = d.train().contains(r) ? "train" : "test";
                assertThat(f[head.indexOf("set")]).isEqualTo(set);
                for (String name : direct) {
                    String ours = r.value(dict.names().indexOf(name));
                    double theirs = Double.parseDouble(f[head.indexOf(name)]);
                    if (name.equals("chol") && theirs == 0 && !site.equals("cleveland") && !site.equals("hungarian")) {
                        assertThat(ours).as(site + " line " + r.line() + " chol 0 means missing").isNull();
                    } else {
                        assertThat(ours).as(site + " line " + r.line() + " " + name).isNotNull();
                        assertThat(Double.parseDouble(ours)).as(site + " line " + r.line() + " " + name).isCloseTo(theirs, within(1e-9));
                    }
                }
                String cp = r.value(dict.names().indexOf("cp"));
                for (int k = 2; k <= 4; k++)
                    assertThat(Double.parseDouble(f[head.indexOf("cp_" + k)])).isEqualTo(cp.equals(String.valueOf(k)) ? 1.0 : 0.0);
                String restecg = r.value(dict.names().indexOf("restecg"));
                for (int k = 1; k <= 2; k++)
                    assertThat(Double.parseDouble(f[head.indexOf("restecg_" + k)])).isEqualTo(restecg.equals(String.valueOf(k)) ? 1.0 : 0.0);
                assertThat(r.label()).isEqualTo(Float.parseFloat(f[head.indexOf("label_binary")]));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(740);
    }

    @Test
    void federatedHarmonisationMatchesPooledFlambyStatisticsWhereDefinitionsAgree() throws IOException {
        FeatureDictionary dict = FeatureDictionary.load(configDir.resolve("features.yaml"));
        List<FeatureStatistics> parts = new ArrayList<>();
        List<SiteData> sites = new ArrayList<>();
        for (String site : SITES) {
            SiteData d = load(site, dict);
            sites.add(d);
            parts.add(LocalStatistics.compute(dict, d.train()));
        }
        FittedHarmonizer h = FittedHarmonizer.fit(dict, FeatureStatistics.merge(parts));
        List<String> lines = Files.readAllLines(dataRoot.resolve("heart_disease/flamby_normalisation_stats.csv"));
        List<String> head = List.of(lines.get(0).split(","));
        String[] mean = lines.stream().filter(l -> l.startsWith("pooled_train_mean,")).findFirst().orElseThrow().split(",");
        String[] std = lines.stream().filter(l -> l.startsWith("pooled_train_std_unbiased,")).findFirst().orElseThrow().split(",");
        // chol differs on purpose: FLamby averages the zeros of switzerland and va, we treat them as missing
        for (String name : List.of("age", "sex", "trestbps", "fbs", "thalach", "exang", "oldpeak")) {
            assertThat(h.scaling(name).mean()).as(name + " mean").isCloseTo(Double.parseDouble(mean[head.indexOf(name)]), within(1e-9));
            assertThat(h.scaling(name).std()).as(name + " std").isCloseTo(Double.parseDouble(std[head.indexOf(name)]), within(1e-9));
        }
        assertThat(h.featureNames()).contains("chol__missing", "cp=1", "cp=4", "restecg=0", "restecg=2", "cp=__other__");
        for (SiteData d : sites) {
            for (float[] r : h.transform(d.test())) {
                assertThat(r).hasSize(h.width());
                for (float v : r) assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }
}
