package org.fedehr.simulations.synthea;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Synthea in a child JVM: 5 patients of one site (about 20-30 s on an idle 2-core machine, mostly Synthea's
 * start-up). Opt-in: runs only with {@code FEDEHR_SYNTHEA_GENERATE=1}, as generation is too slow for every build.
 */
class SyntheaSmallGenerationTest {
    @Test
    void generatesFivePatientsInAChildJvmAndCachesThem(@TempDir Path root) throws Exception {
        boolean on = "1".equals(System.getenv("FEDEHR_SYNTHEA_GENERATE"));
        if (!on) System.err.println("SKIPPED SyntheaSmallGenerationTest: set FEDEHR_SYNTHEA_GENERATE=1 to run Synthea (slow)");
        assumeTrue(on, "FEDEHR_SYNTHEA_GENERATE is not 1");
        SyntheaSite site = new SyntheaSite("tiny", "Massachusetts", "Boston", 5, 7);
        SyntheaSpec spec = new SyntheaSpec(List.of(site), 40, 80, LocalDate.of(2025, 1, 1), 11);
        SyntheaCache cache = new SyntheaCache(root);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Path> dirs = new SyntheaGenerator(cache, () -> new SyntheaLauncher(SyntheaRuntime.locate(), "1g"), 1, 1000)
                .ensure(spec, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("site tiny (Boston, Massachusetts) done: 5 living");
        assertThat(cache.problem(spec, site)).isEmpty();
        assertThat(Files.readAllLines(dirs.get("tiny").resolve("patients.csv")).size()).isGreaterThanOrEqualTo(6);
        assertThat(Files.readString(cache.siteDir(spec, site).resolve("synthea.log"))).contains("Records: total=");
        CohortTask task = new CohortTask(LocalDate.of(2020, 1, 1), 5, 5, 40, Set.of("414545008"), Set.of(),
                List.of(new CohortTask.Measurement("sbp", "8480-6", "mm[Hg]")), List.of(), List.of());
        SyntheaCohortBuilder.Summary s = SyntheaCohortBuilder.build(dirs.get("tiny"), task, root.resolve("tiny.csv"));
        assertThat(s.patients()).isGreaterThanOrEqualTo(5);
        assertThat(s.measurements()).isPositive();
        assertThat(s.unitMismatches()).isZero();
    }
}
