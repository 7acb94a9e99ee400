package org.fedehr.cli;

import org.fedehr.simulations.synthea.SyntheaLauncher;
import org.fedehr.simulations.synthea.SyntheaRuntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Synthea 3.3.0 (HAPI FHIR 6.1.0, Jackson 2.13, Guava 31) never shares a classpath with fedehr (HAPI FHIR 8): none of
 * its classes is loadable here, fedehr's HAPI FHIR is 8.x, and the child JVM's classpath is the Synthea folder only.
 * (SyntheaIsolationIT checks the assembled fedehr.jar.)
 */
class SyntheaIsolationTest {
    @Test
    void noSyntheaClassOnFedehrsClasspath() {
        assertThatThrownBy(() -> Class.forName("org.mitre.synthea.engine.Generator")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("App")).isInstanceOf(ClassNotFoundException.class);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            assertThat(Path.of(entry).getFileName().toString()).doesNotStartWith("synthea-").doesNotContain("hapi-fhir-base-6.");
        assertThat(ClassLoader.getSystemResource("org/mitre/synthea/engine/Generator.class")).isNull();
    }

    @Test
    void fedehrsHapiFhirIsVersion8() {
        assertThat(ca.uhn.fhir.util.VersionUtil.getVersion()).startsWith("8.");
        assertThat(ca.uhn.fhir.context.FhirContext.forR4Cached().getVersion().getVersion().getFhirVersionString()).startsWith("4.0");
    }

    @Test
    void childJvmRunsOverTheSyntheaFolderOnly() throws IOException {
        SyntheaRuntime rt = SyntheaRuntime.locate();   // built by the synthea-runtime module before the cli
        try (Stream<Path> jars = Files.list(rt.libDir())) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            // the clash the isolation exists for: Synthea's own HAPI FHIR 6.1.0 and Jackson 2.13
            assertThat(names).contains("synthea-3.3.0.jar", "hapi-fhir-base-6.1.0.jar");
            assertThat(names).anyMatch(n -> n.startsWith("jackson-databind-2.13"));
        }
        List<String> cmd = new SyntheaLauncher(rt, "1g").command(List.of("-p", "5"));
        int cp = cmd.indexOf("-cp");
        assertThat(cp).isPositive();
        assertThat(cmd.get(cp + 1)).isEqualTo(rt.libDir().toAbsolutePath() + java.io.File.separator + "*");
        assertThat(cmd.get(cp + 2)).isEqualTo("App");
        assertThat(String.join(" ", cmd)).doesNotContain(System.getProperty("java.class.path"));
    }
}
