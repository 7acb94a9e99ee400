package org.fedehr.site.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes small site configs and data files into a temporary directory for tests. */
final class TestSites {
    private TestSites() {
    }

    /** Dictionary used by most tests: age numeric, sex binary, cp categorical. Label: num > 0. */
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(
            new Feature("age", FeatureType.NUMERIC),
            new Feature("sex", FeatureType.BINARY),
            new Feature("cp", FeatureType.CATEGORICAL)), 1);

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A site config over columns age(0) sex(1) cp(2) num(3); {@code extra} is appended under {@code data:}. */
    static String siteYaml(String id, String dataFile, String dataExtra, String split) {
        return """
                site:
                  id: %s
                data:
                  file: %s
                  missing_markers: ["?", ""]
                %s  columns:
                    - {name: age, index: 0, type: numeric}
                    - {name: sex, index: 1, type: binary}
                    - {name: cp, index: 2, type: categorical}
                    - {name: num, index: 3, type: numeric}
                  label: {column: num, positive_if: "> 0"}
                split:
                %s
                """.formatted(id, dataFile, dataExtra, split.indent(2).stripTrailing());
    }

    static final String SEEDED = "{test_fraction: 0.25, seed: 7, stratify: true}";

    /** Writes data + config (seeded split unless given) and loads the site with {@link #DICT}. */
    static SiteData load(Path dir, String id, String data, String dataExtra, String split) {
        write(dir, id + ".csv", data);
        Path cfg = write(dir, id + ".yaml", siteYaml(id, id + ".csv", dataExtra, split));
        return SiteData.load(SiteDataConfig.load(cfg), dir, DICT);
    }
}
