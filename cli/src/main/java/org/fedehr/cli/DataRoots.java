package org.fedehr.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where data files are read from: --data-root, else $FEDEHR_DATA, else ./data (what `fedehr data fetch` fills). */
final class DataRoots {
    private DataRoots() {
    }

    static Path resolve(Path given) {
        if (given != null) return require(given, "--data-root");
        String env = System.getenv("FEDEHR_DATA");
        if (env != null && !env.isBlank()) return require(Path.of(env), "FEDEHR_DATA");
        return require(Path.of("data"), "the default ./data");
    }

    private static Path require(Path p, String from) {
        if (!Files.isDirectory(p))
            throw new IllegalArgumentException("data root " + p + (p.isAbsolute() ? "" : " (= " + p.toAbsolutePath().normalize() + ")")
                    + " from " + from + " is not a directory: point --data-root or FEDEHR_DATA at the folder that holds"
                    + " the data (e.g. heart_disease/), or run `fedehr data fetch heart-disease --to data`");
        return p.toAbsolutePath();
    }
}
