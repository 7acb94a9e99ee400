package org.fedehr.simulations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FLamby's result CSVs summarised as FLamby's tables do (hand-computed on a small file, and against the published
 * summary_tables.md on the real files), and the comparison's rows and targets.
 */
class FlambyComparisonTest {
    @TempDir
    Path dir;

    /** Two seeds, two clients: FedAvg100 client means 0.6 and 0.8 (mean 0.7, sd 0.1); pooled 0.5 and 0.9 (0.7 ± 0.2). */
    private FlambyResults smallResults() throws Exception {
        Path d = Files.createDirectories(dir.resolve("results_benchmark_fed_tcga_brca"));
        Files.writeString(d.resolve("tcga_seed1.csv"), """
                mu,Method,Test,seed,Metric
                ,FedAvg100,client_test_0,1,0.5
                ,FedAvg100,client_test_1,1,0.7
                ,FedAvg100,Pooled Test,1,0.5
                ,Pooled Training,client_test_0,1,0.9
                ,Pooled Training,client_test_1,1,0.3
                """);
        Files.writeString(d.resolve("tcga_seed2.csv"), """
                mu,Method,Test,seed,Metric
                ,FedAvg100,client_test_0,2,0.8
                ,FedAvg100,client_test_1,2,0.8
                ,FedAvg100,Pooled Test,2,0.9
                """);
        return FlambyResults.load(dir, "fed_tcga_brca");
    }

    @Test
    void summarisesLikeFlambysTables() throws Exception {
        FlambyResults r = smallResults();
        assertThat(r.clients()).isEqualTo(2);
        FlambyResults.MethodFigures fedavg = r.method("FedAvg100");
        assertThat(fedavg.meanOverClients().mean()).isCloseTo(0.7, within(1e-12));
        assertThat(fedavg.meanOverClients().sd()).isCloseTo(0.1, within(1e-12));   // population sd of 0.6 and 0.8
        assertThat(fedavg.pooledTest().mean()).isCloseTo(0.7, within(1e-12));
        assertThat(fedavg.pooledTest().sd()).isCloseTo(0.2, within(1e-12));
        assertThat(r.method("Pooled Training").meanOverClients().n()).isEqualTo(1);
        assertThat(r.method("Pooled Training").pooledTest()).isNull();
        assertThat(r.method("FedAdam100")).isNull();
    }

    @Test
    void malformedFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> FlambyResults.load(dir, "fed_heart_disease")).hasMessageContaining("results_benchmark_fed_heart_disease");
        Path d = Files.createDirectories(dir.resolve("results_benchmark_fed_heart_disease"));
        Files.writeString(d.resolve("x.csv"), "Method,Test,seed,Metric\nFedAvg100,client_test_0,42,abc\n");
        assertThatThrownBy(() -> FlambyResults.load(dir, "fed_heart_disease")).hasMessageContaining("x.csv: line 2")
                .hasMessageContaining("not a number");
    }

    private static SeedResult result(long seed, double meanSiteC, double pooledC, ModelMetrics pooledBaseline) {
        ModelMetrics m = new ModelMetrics(null, null, 0.3, null, new TreeMap<>(), pooledC, meanSiteC);
        return new SeedResult(seed, "completed", List.of(), m, pooledBaseline, new TreeMap<>(), "d", "s", 39, 0, 0, 0, 0, 1.0);
    }

    @Test
    void comparesOursWithFlambysAndChecksTargets() throws Exception {
        FlambyResults flamby = smallResults();
        ModelMetrics pooledBaseline = new ModelMetrics(null, null, 0.3, null, new TreeMap<>(), 0.65, 0.55);
        Map<String, List<SeedResult>> runs = Map.of("fedavg", List.of(result(42, 0.72, 0.80, pooledBaseline), result(43, 0.68, 0.84, pooledBaseline)));
        FlambyComparison.Spec spec = new FlambyComparison.Spec("fed_tcga_brca", List.of("federated"),
                Map.of("fedavg", Map.of("pooled_test", 0.83)));
        FlambyComparison c = FlambyComparison.build(spec, flamby, runs, List.of("a", "b"));

        FlambyComparison.Row fedavg = c.rows().stream().filter(r -> r.method().equals("FedAvg100")).findFirst().orElseThrow();
        assertThat(fedavg.ours()).isEqualTo("fedavg");
        assertThat(fedavg.oursMeanOverClients().mean()).isCloseTo(0.70, within(1e-12));
        assertThat(fedavg.oursMeanOverClients().sd()).isCloseTo(0.02, within(1e-12));
        assertThat(fedavg.oursPooledTest().mean()).isCloseTo(0.82, within(1e-12));
        FlambyComparison.Row pooled = c.rows().stream().filter(r -> r.method().equals("Pooled Training")).findFirst().orElseThrow();
        assertThat(pooled.oursPooledTest().mean()).isCloseTo(0.65, within(1e-12));

        // at least FLamby's: mean over clients 0.70 >= 0.70 met; pooled 0.82 >= 0.70 met; absolute 0.82 >= 0.83 not met
        assertThat(c.checks()).extracting(FlambyComparison.Check::figure, FlambyComparison.Check::against, FlambyComparison.Check::met)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mean_over_clients", "FLamby", true),
                        org.assertj.core.groups.Tuple.tuple("pooled_test", "FLamby", true),
                        org.assertj.core.groups.Tuple.tuple("pooled_test", "absolute", false));
        assertThat(c.markdown()).contains("| FedAvg100 | fedavg | 0.7000 ± 0.0200 (n=2) | 0.7000 ± 0.1000 (n=2) | 0.8200 ± 0.0200 (n=2) | 0.7000 ± 0.2000 (n=2) |")
                .contains("NOT MET");
        // FLamby's table order: pooled (client mean (0.9 + 0.3) / 2), local 0, local 1, then FedAvg100
        assertThat(c.rows()).extracting(FlambyComparison.Row::method).containsExactly("Pooled Training", "FedAvg100");
        assertThat(c.json().get("methods").get(0).get("flamby").get("mean_over_clients").get("mean").asDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(c.json().get("methods").get(1).get("flamby").get("mean_over_clients").get("mean").asDouble()).isCloseTo(0.7, within(1e-9));
    }

    @Test
    void readsFlambysPublishedFigures() {
        String env = System.getenv("FEDEHR_DATA");
        assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set: skipping the check of FLamby's published results");
        Path results = Path.of(env).resolve("flamby_results");
        assumeTrue(Files.isDirectory(results), "no flamby_results under FEDEHR_DATA");
        // the figures of FLAMBY.md / summary_tables.md
        FlambyResults tcga = FlambyResults.load(results, "fed_tcga_brca");
        assertThat(tcga.clients()).isEqualTo(6);
        assertThat(tcga.method("FedAdam100").pooledTest().mean()).isCloseTo(0.8421, within(5e-5));
        assertThat(tcga.method("FedAdam100").meanOverClients().mean()).isCloseTo(0.8152, within(5e-5));
        assertThat(tcga.method("FedAdam100").meanOverClients().sd()).isCloseTo(0.0229, within(5e-5));
        assertThat(tcga.method("FedAvg100").pooledTest().mean()).isCloseTo(0.7353, within(5e-5));
        FlambyResults heart = FlambyResults.load(results, "fed_heart_disease");
        assertThat(heart.clients()).isEqualTo(4);
        assertThat(heart.method("FedAvg100").meanOverClients().mean()).isCloseTo(0.6850, within(5e-5));
        assertThat(heart.method("FedAvg100").meanOverClients().sd()).isCloseTo(0.0253, within(5e-5));
        assertThat(heart.method("Pooled Training").pooledTest().mean()).isCloseTo(0.7953, within(5e-5));
        assertThat(heart.method("FedYogi100").meanOverClients().mean()).isCloseTo(0.7314, within(5e-5));
    }

    @Test
    void readsTheFlambyBlockOfAScenario() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                flamby:
                  dataset: fed_tcga_brca
                  at_least_flamby: [federated]
                  targets: {fedadam: {pooled_test: 0.84}}
                  methods:
                    fedavg: {}
                    fedadam: {federation: {strategy_params: {eta: 0.1, tau: 1.0e-8}}, training: {learning_rate: 0.01}}
                """);
        FlambyComparison.Spec spec = FlambyComparison.readSpec(Yaml.load(f));
        assertThat(spec.metric()).isEqualTo("c_index");
        assertThat(spec.atLeastFlamby()).containsExactly("federated");
        assertThat(spec.targets()).isEqualTo(Map.of("fedadam", Map.of("pooled_test", 0.84)));
        assertThat(spec.methods().keySet()).containsExactly("fedavg", "fedadam");
        assertThat(spec.methods().get("fedadam")).containsOnlyKeys("federation.strategy_params.eta",
                "federation.strategy_params.tau", "training.learning_rate");

        Files.writeString(f, "flamby: {dataset: fed_tcga_brca, targets: {fedadam: {accuracy: 0.8}}}\n");
        assertThatThrownBy(() -> FlambyComparison.readSpec(Yaml.load(f))).hasMessageContaining("flamby.targets.fedadam.accuracy");
        Files.writeString(f, "flamby: {dataset: fed_x}\n");
        assertThatThrownBy(() -> FlambyComparison.readSpec(Yaml.load(f))).hasMessageContaining("unknown dataset 'fed_x'");
        Files.writeString(f, "flamby: {dataset: fed_heart_disease, methods: {fedfoo: {}}}\n");
        assertThatThrownBy(() -> FlambyComparison.readSpec(Yaml.load(f))).hasMessageContaining("flamby.methods.fedfoo");
    }
}
