package org.fedehr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FhirCommandTest extends CapturedConsole {
    static final String OBS = "{\"resourceType\":\"Observation\",\"id\":\"%s\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"%s\"}]},"
            + "\"subject\":{\"reference\":\"Patient/p\"},\"effectiveDateTime\":\"2020-01-02T08:00:00Z\",\"valueQuantity\":{\"value\":%s,\"unit\":\"%s\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"%s\"}}";

    @Test
    void inspectPrintsCountsCodesAndUnits(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("export.ndjson");
        Files.writeString(f, "{\"resourceType\":\"Patient\",\"id\":\"p\",\"gender\":\"male\",\"birthDate\":\"1950-01-01\"}\n"
                + OBS.formatted("a", "8867-4", "72", "/min", "/min") + "\n"
                + OBS.formatted("b", "8867-4", "80", "/min", "/min") + "\n"
                + OBS.formatted("c", "39156-5", "27.5", "kg/m2", "kg/m2") + "\n"
                + "{\"resourceType\":\"Immunization\",\"id\":\"i\",\"status\":\"completed\",\"vaccineCode\":{\"text\":\"x\"},\"patient\":{\"reference\":\"Patient/p\"},\"occurrenceDateTime\":\"2020-01-01\"}\n");
        assertThat(Main.execute("fhir", "inspect", f.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).contains("1 patients, 3 events from {Observation=3, Patient=1}")
                .contains("skipped (not read): {Immunization=1}")
                .contains("2 distinct codes")
                .containsPattern("LOINC:8867-4 +2  /min")
                .containsPattern("LOINC:39156-5 +1  kg/m2")
                .satisfies(text -> assertThat(text.replace(f.toString(), "")).doesNotContain("72").doesNotContain("27.5"));   // counts only, never a value
    }

    @Test
    void badInputNamesTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.ndjson");
        Files.writeString(f, "{\"resourceType\":\"Patient\",\"id\":\"p\"}\n{not json\n");
        assertThat(Main.execute("fhir", "inspect", f.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.ndjson line 2");
    }
}
