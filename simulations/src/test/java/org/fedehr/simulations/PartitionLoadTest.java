package org.fedehr.simulations;

import org.fedehr.site.data.SiteData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scenario's partition applied to the rows its source site config reads (no federation run). */
class PartitionLoadTest {
    @TempDir
    Path dir;

    /** 30 rows: hospital 7 (lines 2–13), 12 (lines 14–25), "north" (lines 26–31); label 1 on every third row. */
    Scenario scenario(String partition) throws Exception {
        StringBuilder sb = new StringBuilder("age,hospital,y\n");
        for (int i = 0; i < 30; i++) sb.append(40 + i).append(',').append(i < 12 ? "7" : i < 24 ? "12" : "north").append(',')
                .append(i % 3 == 0 ? 1 : 0).append('\n');
        Files.writeString(dir.resolve("all.csv"), sb.toString());
        Files.writeString(dir.resolve("all.yaml"), """
                site: {id: all}
                data:
                  file: all.csv
                  header: true
                  columns:
                    - {name: age, header: age, type: numeric}
                    - {name: hospital, header: hospital, type: categorical}
                    - {name: y, header: y, type: binary}
                  label: {column: y, positive_if: "== 1"}
                split: {test_fraction: 0.2, seed: 3}
                """);
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: age, type: numeric}]\nmin_category_count: 1\n");
        Path p = dir.resolve("scenario.yaml");
        Files.writeString(p, """
                name: t
                seed: 5
                features: f.yaml
                federation: {rounds: 1, quorum: 1, min_sites: 3}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                """ + partition);
        return Scenario.load(p);
    }

    @Test
    void naturalByAColumnThatIsNotAFeatureMakesOneSitePerValue() throws Exception {
        Scenario sc = scenario("partition: {source: all.yaml, kind: natural, column: hospital, test_fraction: 0.25}\n");
        Map<String, SiteData> sites = Simulation.loadSites(sc, dir);
        assertThat(sites.keySet()).containsExactly("hospital-7", "hospital-12", "hospital-north");
        assertThat(sites.get("hospital-7").train()).allMatch(r -> r.line() >= 2 && r.line() <= 13);
        assertThat(sites.get("hospital-north").test()).allMatch(r -> r.line() >= 26);
        // 12 rows of which 4 positive: test = round(0.25 x 4) + round(0.25 x 8) = 1 + 2
        assertThat(sites.get("hospital-12").test()).hasSize(3);
        assertThat(sites.get("hospital-12").train()).hasSize(9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Partitions.print(new PrintStream(out, true, StandardCharsets.UTF_8), sc, sites);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("partition natural(column=hospital), seed 5: 30 rows, 3 sites")
                .contains("  hospital-north        6      4      2        4        2");
    }

    @Test
    void iidFromASourceAndAnUnknownColumn() throws Exception {
        Map<String, SiteData> sites = Simulation.loadSites(scenario("partition: {source: all.yaml, kind: iid, sites: 4}\n"), dir);
        assertThat(sites.values().stream().mapToInt(d -> d.train().size() + d.test().size())).containsExactly(8, 8, 7, 7);
        Scenario bad = scenario("partition: {source: all.yaml, kind: natural, column: ward}\n");
        assertThatThrownBy(() -> Simulation.loadSites(bad, dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("partition.column: ").hasMessageContaining("no column 'ward' in data.columns");
    }
}
