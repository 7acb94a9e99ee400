package org.fedehr.simulations;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** report.html and its plots, from hand-built results (with and without faults). */
class GridReportTest {
    @TempDir
    static Path dir;
    static ScenarioGrid grid;

    @BeforeAll
    static void build() throws IOException {
        GridFixture.writeFederation(dir);
        grid = ScenarioGrid.load(GridFixture.scenario(dir, "# tail <b>not markup</b>\ngrid: {seeds: [1, 2], settings: {training.learning_rate: [0.1, 0.2]}}\n"));
    }

    private static GridResult result(boolean faults) {
        var local = new TreeMap<>(Map.of("A", GridResults.model(0.6, 0.6, 0.7, 0.7, 0.4), "B", GridResults.model(0.6, 0.6, 0.7, 0.3, 0.5)));
        ModelMetrics pooled = GridResults.model(0.8, 0.85, 0.45, 0.8, 0.8);
        List<GridResult.ConfigurationRuns> cs = new ArrayList<>();
        for (GridConfiguration c : grid.configurations()) {
            List<GridResult.SeedRun> runs = new ArrayList<>();
            for (long s : grid.seeds())
                runs.add(new GridResult.SeedRun(s, GridResults.seed(s, GridResults.model(0.7 + 0.01 * s, 0.8, 0.5, 0.6, 0.8),
                        GridResults.rounds(4, faults && s == 2), null, new TreeMap<>()), null, "b" + s));
            cs.add(new GridResult.ConfigurationRuns(c, runs));
        }
        return new GridResult(grid, cs, List.of(new GridResult.Baselines("b1", 1, List.of("c1", "c2"), pooled, local),
                new GridResult.Baselines("b2", 2, List.of("c1", "c2"), pooled, local)), Instant.parse("2026-12-04T12:00:00Z"), 12.5);
    }

    @Test
    void pageAndEveryPlotItShowsArePresentAndNonEmpty() throws IOException {
        Path out = dir.resolve("with-faults");
        Path html = new GridReport(result(true)).write(out);
        assertThat(html).isEqualTo(out.resolve("report.html"));
        String page = Files.readString(html);
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
        while (m.find()) images.add(m.group(1));
        assertThat(images).containsExactly(GridReport.ACCURACY_PNG, GridReport.AUROC_PNG, GridReport.LOSS_PNG, GridReport.SITES_PNG,
                GridReport.BYTES_PNG, GridReport.FAULTS_PNG);
        for (String img : images) {
            Path p = out.resolve(img);
            assertThat(p).exists();
            assertThat(Files.size(p)).as(img).isGreaterThan(5_000);
            BufferedImage bi = ImageIO.read(p.toFile());
            assertThat(bi.getWidth()).as(img).isEqualTo(1000);
        }
        // self-contained: no reference leaves the folder
        assertThat(page).doesNotContain("http://", "https://", "<script");
        // the summary table with baselines, the fault table as the records hold it, and the provenance
        assertThat(page).contains("fedavg learning_rate=0.1", "fedavg learning_rate=0.2", "pooled (centralised) baseline",
                "local-only baseline (own site)", "<td class=\"l\">B: timeout</td>", "completed with 1 failure</td>",
                "B: TRAIN round 2 arrived during TRAIN round 3",
                "2026-12-04 12:00:00 UTC", "[1, 2]", "Deeplearning4j", "training.learning_rate");
        assertThat(page).contains("# tail &lt;b&gt;not markup&lt;/b&gt;").doesNotContain("<b>not markup</b>");
        // c1's mean-site accuracy is 0.7 for both seeds: 0.7000 ± 0.0000; pooled accuracy 0.71, 0.72: 0.7150 ± 0.0050
        assertThat(page).contains("0.7150 ± 0.0050", "0.7000 ± 0.0000");
    }

    @Test
    void flambysPublishedFiguresStandBesideOursWhenTheScenarioAsks() throws IOException {
        GridResult plain = result(false);
        FlambyResults flamby = new FlambyResults("fed_heart_disease", Path.of("flamby_results"), 2, Map.of(
                "FedAvg100", new FlambyResults.MethodFigures("FedAvg100", new FlambyResults.Stat(0.685, 0.025, 5), new FlambyResults.Stat(0.748, 0.01, 5))));
        Map<String, List<SeedResult>> runs = new java.util.LinkedHashMap<>();
        runs.put("fedavg", plain.configurations().get(0).results());
        FlambyComparison cmp = FlambyComparison.build(new FlambyComparison.Spec("fed_heart_disease", List.of("federated"), Map.of()),
                flamby, runs, List.of("A", "B"));
        GridResult g = new GridResult(plain.grid(), plain.configurations(), plain.baselines(), plain.started(), plain.wallSeconds(),
                Map.of(), cmp);
        String page = Files.readString(new GridReport(g).write(dir.resolve("flamby")));
        // ours for fedavg: mean site accuracy 0.7 for both seeds; FLamby's 0.685 ± 0.025 over 5 seeds
        assertThat(page).contains("Beside FLamby's published results", "FedAvg100", "0.7000 ± 0.0000 (n=2)", "0.6850 ± 0.0250 (n=5)",
                "≥ FLamby's 0.6850");
        assertThat(GridSummary.summary(g).get("flamby_comparison").get("dataset").asText()).isEqualTo("fed_heart_disease");
    }

    @Test
    void withoutFaultsThereIsNoEmptyFaultPlotButASentence() throws IOException {
        Path out = dir.resolve("no-faults");
        String page = Files.readString(new GridReport(result(false)).write(out));
        assertThat(out.resolve(GridReport.FAULTS_PNG)).doesNotExist();
        assertThat(page).doesNotContain(GridReport.FAULTS_PNG)
                .contains("No fault was injected, no site failed, replied late or was left out, and every round produced a model, in every run.");
        // a classifier has no C-index: no C-index plot, no empty plot
        assertThat(out.resolve(GridReport.C_INDEX_PNG)).doesNotExist();
        assertThat(page).doesNotContain("C-index");
        for (String png : List.of(GridReport.ACCURACY_PNG, GridReport.SITES_PNG, GridReport.BYTES_PNG))
            assertThat(Files.size(out.resolve(png))).isGreaterThan(5_000);
    }
}
