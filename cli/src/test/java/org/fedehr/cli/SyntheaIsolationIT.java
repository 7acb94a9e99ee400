package org.fedehr.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The assembled CLI jar (after `package`): no Synthea class and only HAPI FHIR 8 inside fedehr.jar. */
class SyntheaIsolationIT {
    @Test
    void assembledJarHoldsNoSyntheaAndOneHapiFhir() throws IOException {
        Path jar = Path.of("target", "fedehr.jar");
        if (!Files.isRegularFile(jar)) System.err.println("SKIPPED SyntheaIsolationIT: " + jar.toAbsolutePath() + " not built");
        assumeTrue(Files.isRegularFile(jar), "fedehr.jar not built");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.stream().map(e -> e.getName())).noneMatch(n -> n.startsWith("org/mitre/") || n.equals("App.class"));
            var pom = j.getEntry("META-INF/maven/ca.uhn.hapi.fhir/hapi-fhir-base/pom.properties");
            assertThat(pom).isNotNull();
            Properties p = new Properties();
            try (InputStream in = j.getInputStream(pom)) {
                p.load(in);
            }
            assertThat(p.getProperty("version")).startsWith("8.");
            assertThat(j.getEntry("org/hl7/fhir/r4/model/Observation.class")).isNotNull();
        }
    }
}
