package org.fedehr.simulations.synthea;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where Synthea's jars are: a folder of plain jars (Synthea 3.3.0 and its own dependencies, HAPI FHIR 6.1.0,
 * Jackson 2.13 ...) that the build materialises into {@code synthea-runtime/target/synthea-lib/}.
 * These jars are never on fedehr's own classpath; fedehr runs them in a child JVM (see {@link SyntheaLauncher}).
 * <p>
 * Looked up in order: system property {@code fedehr.synthea.lib}, environment variable {@code FEDEHR_SYNTHEA_LIB},
 * {@code synthea-lib/} beside the jar fedehr runs from, and {@code synthea-runtime/target/synthea-lib/} in the
 * checkout that holds the running jar or classes ({@code cli/target/fedehr.jar}, tests, IDE).
 */
public record SyntheaRuntime(Path libDir) {
    /** The jar that must be in the folder (Synthea's {@code App}, in the default package). */
    public static final String SYNTHEA_JAR = "synthea-" + SyntheaSpec.SYNTHEA_VERSION + ".jar";
    public static final String MAIN_CLASS = "App";

    public SyntheaRuntime {
        if (libDir == null) throw new IllegalArgumentException("libDir must not be null");
        if (!Files.isRegularFile(libDir.resolve(SYNTHEA_JAR)))
            throw new IllegalArgumentException("libDir " + libDir + " does not hold " + SYNTHEA_JAR);
    }

    /** The classpath for {@code java -cp}: the folder's wildcard (every jar in it). */
    public String classpath() {
        return libDir.toAbsolutePath() + java.io.File.separator + "*";
    }

    /** Finds the runtime, or fails with a message that says where it looked and how to build it. */
    public static SyntheaRuntime locate() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("fedehr.synthea.lib");
        if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
        String env = System.getenv("FEDEHR_SYNTHEA_LIB");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        Path code = codeLocation();
        if (code != null) {
            if (Files.isRegularFile(code)) candidates.add(code.toAbsolutePath().getParent().resolve("synthea-lib"));
            // classes folder of a module (…/<module>/target/classes): the checkout is two levels above the module
            for (Path p = code.toAbsolutePath(); p != null; p = p.getParent())
                if (Files.isDirectory(p.resolve("synthea-runtime")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    candidates.add(p.resolve("synthea-runtime").resolve("target").resolve("synthea-lib"));
                    break;
                }
        }
        candidates.add(Path.of("synthea-runtime", "target", "synthea-lib"));
        for (Path c : candidates)
            if (Files.isRegularFile(c.resolve(SYNTHEA_JAR))) return new SyntheaRuntime(c.toAbsolutePath().normalize());
        throw new IllegalStateException("Synthea " + SyntheaSpec.SYNTHEA_VERSION + " runtime not found (looked for "
                + SYNTHEA_JAR + " in " + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).distinct().toList()
                + "): build the CLI with `mvn -pl cli -am package -DskipTests` (it materialises Synthea into"
                + " synthea-runtime/target/synthea-lib/), or point FEDEHR_SYNTHEA_LIB at such a folder");
    }

    /** Number of jars in the folder (for messages). */
    public long jarCount() {
        try (Stream<Path> s = Files.list(libDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path codeLocation() {
        try {
            var src = SyntheaRuntime.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
