package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.protocol.msg.EvalMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A whole federation over loopback HTTPS on small generated files (no FEDEHR_DATA needed):
 * C04 (a site with no training rows), C15 (categories and labels seen only at some sites), C13 (determinism)
 * and C16 (missing values at evaluation), through the real coordinator, site nodes and DL4J trainer.
 */
class SyntheticFederationTest {
    @TempDir
    static Path dir;
    static Scenario scenario;

    @BeforeAll
    static void writeFederation() throws IOException {
        Random rnd = new Random(7);
        // A: 120 train rows, cp in {1,2,3,4}; B: 40 rows, all test (its cohort for training is empty), cp in {2,4};
        // C: 80 train + 20 test rows, every label 1 (a single-class site), some ages missing
        writeSite("A", 160, new int[]{1, 2, 3, 4}, rnd, false, false);
        writeSite("B", 40, new int[]{2, 4}, rnd, false, false);
        writeSite("C", 100, new int[]{1, 3}, rnd, true, true);
        split("A", 160, 120);
        split("B", 40, 0);
        split("C", 100, 80);
        Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - {name: age, type: numeric}
                  - {name: sex, type: binary}
                  - {name: cp,  type: categorical}
                min_category_count: 1
                """);
        for (String s : List.of("A", "B", "C")) {
            Files.writeString(dir.resolve(s + ".yaml"), """
                    site: {id: %s}
                    data:
                      file: %s.csv
                      header: true
                      missing_markers: ["NA"]
                      columns:
                        - {name: age, header: age, type: numeric}
                        - {name: sex, header: sex, type: binary}
                        - {name: cp,  header: cp,  type: categorical}
                        - {name: y,   header: y,   type: binary}
                      label: {column: y, positive_if: "== 1"}
                    split: {file: split.csv, site_column: site, site_value: %s, line_column: line, set_column: set}
                    """.formatted(s, s, s));
        }
        Files.writeString(dir.resolve("scenario.yaml"), """
                name: synthetic
                seed: 11
                features: features.yaml
                sites: [A.yaml, B.yaml, C.yaml]
                federation: {rounds: 3, quorum: 2, deadline_seconds: 60, grace_seconds: 30}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 32, optimizer: sgd, learning_rate: 0.1}
                baselines: {pooled: true, local: true}
                targets: {pooled_test_accuracy: 0.0, mean_site_accuracy: 1.0}
                """);
        scenario = Scenario.load(dir.resolve("scenario.yaml"));
    }

    static void writeSite(String site, int n, int[] cps, Random rnd, boolean singleClass, boolean someMissing) throws IOException {
        StringBuilder sb = new StringBuilder("age,sex,cp,y\n");
        for (int i = 0; i < n; i++) {
            double age = 40 + 15 * rnd.nextGaussian();
            int sex = rnd.nextInt(2);
            int cp = cps[rnd.nextInt(cps.length)];
            double z = 0.08 * (age - 50) + (cp == 4 ? 1.5 : -0.5) + 0.5 * sex;
            int y = singleClass ? 1 : (rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
            String ageText = someMissing && i % 10 == 3 ? "NA" : String.format(Locale.ROOT, "%.1f", age);
            sb.append(ageText).append(',').append(sex).append(',').append(cp).append(',').append(y).append('\n');
        }
        Files.writeString(dir.resolve(site + ".csv"), sb.toString());
    }

    static void split(String site, int n, int train) throws IOException {
        Path f = dir.resolve("split.csv");
        if (!Files.exists(f)) Files.writeString(f, "site,line,set\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(site).append(',').append(i + 2).append(',').append(i < train ? "train" : "test").append('\n');
        Files.writeString(f, Files.readString(f) + sb);
    }

    @Test
    void siteWithoutTrainingRowsAndSingleClassSiteTakePartWithoutNaN() throws Exception {
        ScenarioRunner.Outcome outcome = ScenarioRunner.run(scenario, dir, List.of(), dir.resolve("out"), null, false);
        SeedResult r = outcome.results().get(0);
        // the scenario's targets are compared with the federated figures: 0.0 is always met, a perfect
        // mean-site accuracy on noisy labels is not; both land in summary.json
        List<Reports.TargetCheck> checks = Reports.targetChecks(scenario, outcome.results());
        assertThat(checks).extracting(Reports.TargetCheck::metric, Reports.TargetCheck::met)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("pooled_test_accuracy", true),
                        org.assertj.core.groups.Tuple.tuple("mean_site_accuracy", false));
        assertThat(checks).allMatch(c -> c.scope().equals("seed 11"));
        assertThat(outcome.summary().get("targets")).hasSize(2);
        assertThat(r.status()).isEqualTo("completed 3 rounds");
        for (RoundRecord rr : r.rounds()) {
            // C04: B has no training rows: it replies "no data", is no failure, and A and C are weighted 0.6 / 0.4
            assertThat(rr.noData()).containsExactly("B");
            assertThat(rr.failures()).isEmpty();
            assertThat(rr.contributed()).containsOnlyKeys("A", "C");
            double total = rr.contributed().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(rr.contributed().get("A") / total).isCloseTo(0.6, within(1e-12));
            assertThat(rr.contributed().get("C") / total).isCloseTo(0.4, within(1e-12));
            // every site evaluates; C15: C's single-class test split has AUROC "n/a", never NaN
            EvalMetrics c = rr.evaluation().perSite().get("C");
            assertThat(c.auroc()).isNull();
            assertThat(c.n()).isEqualTo(20);
            assertThat(rr.evaluation().perSite().get("B").n()).isEqualTo(40);
            assertThat(rr.evaluation().perSite().get("B").auroc()).isNotNull();
            assertThat(rr.evaluation().accuracy()).isBetween(0.0, 1.0);
        }
        // C16: C's missing ages were imputed identically everywhere: the pooled evaluation is finite
        assertThat(r.federated().pooledTestLoss()).isFinite();
        assertThat(r.federated().perSite().get("C").auroc()).isNull();
        // a local-only baseline exists for A and C, none for B (no training rows)
        assertThat(r.localBaselines()).containsOnlyKeys("A", "C");
        assertThat(dir.resolve("out/summary.json")).exists();
        assertThat(Files.readString(dir.resolve("out/summary.json"))).contains("\"auroc\" : \"n/a\"").doesNotContain("NaN");
        assertThat(Files.readAllLines(dir.resolve("out/rounds.csv"))).hasSize(1 + 3);
    }

    @Test
    void sameSeedSameResult() throws Exception {
        var a = ScenarioRunner.run(scenario, dir, List.of(5L), null, null, false);
        var b = ScenarioRunner.run(scenario, dir, List.of(5L), null, null, false);
        assertThat(b.results().get(0).modelSha256()).isEqualTo(a.results().get(0).modelSha256());
        assertThat(HeartDiseaseSimulationTest.withoutTimes(b.summary())).isEqualTo(HeartDiseaseSimulationTest.withoutTimes(a.summary()));
    }
}
