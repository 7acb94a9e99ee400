package org.fedehr.simulations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** A small generated three-site federation (no FEDEHR_DATA needed) and a scenario file whose tail a test chooses. */
final class GridFixture {
    private GridFixture() {
    }

    static final String HEAD = """
            name: grid-test
            seed: 11
            features: features.yaml
            sites: [A.yaml, B.yaml, C.yaml]
            federation: {strategy: fedavg, rounds: 1, quorum: 3, deadline_seconds: 60, grace_seconds: 30}
            model: {kind: logistic}
            training: {epochs: 1, batch_size: 16, optimizer: sgd, learning_rate: 0.1}
            baselines: {pooled: true, local: true, epochs: 2, batch_size: 16, optimizer: sgd, learning_rate: 0.1}
            secure_aggregation: false
            """;

    /** Writes the federation's files into {@code dir}: three sites of 60–100 rows, 3/4 train. */
    static void writeFederation(Path dir) throws IOException {
        Random rnd = new Random(3);
        Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - {name: age, type: numeric}
                  - {name: sex, type: binary}
                min_category_count: 1
                """);
        StringBuilder split = new StringBuilder("site,line,set\n");
        for (String site : List.of("A", "B", "C")) {
            int n = 60 + 20 * (site.charAt(0) - 'A');
            StringBuilder sb = new StringBuilder("age,sex,y\n");
            for (int i = 0; i < n; i++) {
                double age = 50 + 12 * rnd.nextGaussian() + (site.equals("C") ? 5 : 0);
                int sex = rnd.nextInt(2);
                double z = 0.1 * (age - 50) + 0.8 * sex - 0.3;
                int y = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
                sb.append(String.format(Locale.ROOT, "%.1f", age)).append(',').append(sex).append(',').append(y).append('\n');
                split.append(site).append(',').append(i + 2).append(',').append(i < n * 3 / 4 ? "train" : "test").append('\n');
            }
            Files.writeString(dir.resolve(site + ".csv"), sb.toString());
            Files.writeString(dir.resolve(site + ".yaml"), """
                    site: {id: %s}
                    data:
                      file: %s.csv
                      header: true
                      columns:
                        - {name: age, header: age, type: numeric}
                        - {name: sex, header: sex, type: binary}
                        - {name: y,   header: y,   type: binary}
                      label: {column: y, positive_if: "== 1"}
                    split: {file: split.csv, site_column: site, site_value: %s, line_column: line, set_column: set}
                    """.formatted(site, site, site));
        }
        Files.writeString(dir.resolve("split.csv"), split.toString());
    }

    /** Writes {@code grid.yaml}: the fixed head plus the given tail (the grid under test). */
    static Path scenario(Path dir, String tail) throws IOException {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, HEAD + tail);
        return f;
    }
}
