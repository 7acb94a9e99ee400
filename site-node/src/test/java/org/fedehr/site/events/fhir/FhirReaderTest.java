package org.fedehr.site.events.fhir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirReaderTest {
    static final class Collect implements FhirSink {
        final List<FhirStatics> statics = new ArrayList<>();
        final List<FhirEvent> events = new ArrayList<>();
        final List<String> done = new ArrayList<>();

        @Override
        public void statics(FhirStatics s) {
            statics.add(s);
        }

        @Override
        public void event(FhirEvent e) {
            events.add(e);
        }

        @Override
        public void patientDone(String patient) {
            done.add(patient);
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(FhirReaderTest.class.getResource("/fhir/" + name).toURI());
    }

    @Test
    void transactionBundleGivesStaticsAndEventsOfEverySupportedResource() throws Exception {
        Collect c = new Collect();
        FhirReadReport r = new FhirReader().read(resource("bundle-one-patient.json"), c);

        assertThat(c.statics).containsExactly(new FhirStatics("p1", LocalDate.of(1960, 6, 15), "female", null));
        assertThat(c.statics.get(0).ageAt(LocalDate.of(2020, 1, 1))).isEqualTo(59);
        assertThat(c.statics.get(0).ageAt(LocalDate.of(2020, 6, 15))).isEqualTo(60);
        assertThat(c.events).containsExactly(
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:00:00Z"), "ENCOUNTER:AMB", Double.NaN, null, null, "Encounter"),
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:05:00Z"), "LOINC:39156-5", 27.4, "kg/m2", null, "Observation"),
                // blood pressure: one event per component, the panel itself has no value
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:06:00Z"), "LOINC:8480-6", 132, "mm[Hg]", null, "Observation"),
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:06:00Z"), "LOINC:8462-4", 84, "mm[Hg]", null, "Observation"),
                // date-only time: 00:00 UTC; coded value: the coding
                new FhirEvent("p1", null, Instant.parse("2019-03-01T00:00:00Z"), "LOINC:72166-2", Double.NaN, null, "SNOMED:266919005", "Observation"),
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:20:00Z"), "SNOMED:59621000", Double.NaN, null, null, "Condition"),
                new FhirEvent("p1", "e1", Instant.parse("2019-03-01T10:25:00Z"), "RXNORM:314076", Double.NaN, null, null, "MedicationRequest"));
        assertThat(c.done).containsExactly("p1");
        assertThat(r.events()).isEqualTo(7);
        assertThat(r.resources("Observation")).isEqualTo(3);
        assertThat(r.skippedTypes()).containsExactlyEntriesOf(java.util.Map.of("Procedure", 1L));
        assertThat(r.leftOut()).isEmpty();
    }

    @Test
    void bulkNdjsonReadsOneResourcePerLineWithOtherTimeAndReferenceForms() throws Exception {
        Collect c = new Collect();
        FhirReadReport r = new FhirReader().read(resource("bulk-observations.ndjson"), c);

        assertThat(c.statics).containsExactly(new FhirStatics("p2", LocalDate.of(1950, 1, 1), "male", null));
        assertThat(c.events).containsExactly(
                new FhirEvent("p2", null, Instant.parse("2020-01-02T06:00:00Z"), "LOINC:4548-4", 6.1, "%", null, "Observation"),
                // no UCUM system/code: the human-readable unit
                new FhirEvent("p2", null, Instant.parse("2020-01-02T09:00:00Z"), "LOINC:2339-0", 101, "mg/dL", null, "Observation"),
                new FhirEvent("p2", null, Instant.parse("2020-01-03T00:00:00Z"), "RXNORM:860975", Double.NaN, null, null, "MedicationStatement"),
                new FhirEvent("p2", null, Instant.parse("2020-01-03T00:00:00Z"), "SNOMED:44054006", Double.NaN, null, null, "Condition"));
        assertThat(c.done).isEmpty();   // NDJSON interleaves patients: no per-patient end
        assertThat(r.leftOut()).containsExactlyEntriesOf(java.util.Map.of("Observation without a value", 1L));
    }

    @Test
    void malformedValueNamesFileLineResourceAndField() {
        assertThatThrownBy(() -> new FhirReader().read(resource("malformed-value.ndjson"), new Collect()))
                .isInstanceOf(FhirInputException.class)
                .hasMessageContaining("malformed-value.ndjson line 2")
                .hasMessageContaining("not a valid FHIR R4 resource")
                .hasMessageContaining("value");
    }

    @Test
    void missingTimeNamesTheField() {
        assertThatThrownBy(() -> new FhirReader().read(resource("missing-time.ndjson"), new Collect()))
                .isInstanceOf(FhirInputException.class)
                .hasMessageContaining("missing-time.ndjson line 1: Observation/o9: effective[x]: missing");
    }

    @Test
    void missingSubjectNamesTheBundleEntry() {
        assertThatThrownBy(() -> new FhirReader().read(resource("missing-subject-bundle.json"), new Collect()))
                .isInstanceOf(FhirInputException.class)
                .hasMessageContaining("missing-subject-bundle.json entry[1] (line 3): Condition/c4: subject: missing");
    }

    @Test
    void truncatedBundleIsInvalidJsonWithItsLine() {
        Collect c = new Collect();
        assertThatThrownBy(() -> new FhirReader().read(resource("truncated-bundle.json"), c))
                .isInstanceOf(FhirInputException.class)
                .hasMessageContaining("truncated-bundle.json line")
                .hasMessageContaining("not valid JSON");
        assertThat(c.statics).hasSize(1);   // streamed: the entries before the break were delivered
    }

    @Test
    void unknownElementIsAnErrorAndAResourceOutsideABundleNeedsNdjson(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.ndjson");
        Files.writeString(typo, "{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthdate\":\"1950-01-01\"}\n");
        assertThatThrownBy(() -> new FhirReader().read(typo, new Collect()))
                .hasMessageContaining("typo.ndjson line 1").hasMessageContaining("birthdate");
        Path single = dir.resolve("patient.json");
        Files.writeString(single, "{\"resourceType\":\"Patient\",\"id\":\"p\"}");
        assertThatThrownBy(() -> new FhirReader().read(single, new Collect()))
                .hasMessageContaining("patient.json: resourceType: expected Bundle, found 'Patient'");
    }

    /** The Synthea FHIR bundles of FEDEHR_DATA/synthea_ca59/fhir (3 patients plus hospital and practitioner bundles). */
    @Test
    void syntheaBundlesFromSharedData() throws Exception {
        String data = System.getenv("FEDEHR_DATA");
        if (data == null || data.isBlank()) System.err.println("SKIPPED FhirReaderTest.syntheaBundlesFromSharedData: FEDEHR_DATA is not set");
        org.junit.jupiter.api.Assumptions.assumeTrue(data != null && !data.isBlank(), "FEDEHR_DATA is not set");
        Path dir = Path.of(data, "synthea_ca59", "fhir");
        Collect c = new Collect();
        FhirReadReport r = new FhirReader().read(dir, c);
        assertThat(c.statics).hasSize(3);
        assertThat(c.done).hasSize(3);
        assertThat(c.statics).allSatisfy(s -> {
            assertThat(s.birthDate()).isNotNull();
            assertThat(s.gender()).isIn("male", "female");
        });
        java.util.Set<String> patients = new java.util.HashSet<>();
        c.statics.forEach(s -> patients.add(s.patient()));
        assertThat(c.events).allSatisfy(e -> assertThat(patients).contains(e.patient()));
        assertThat(r.resources("Observation")).isPositive();
        assertThat(r.resources("Condition")).isPositive();
        assertThat(r.resources("Encounter")).isPositive();
        // Synthea's vital signs: systolic blood pressure comes as a component of the 85354-9 panel, in mm[Hg]
        assertThat(c.events).filteredOn(e -> e.code().equals("LOINC:8480-6")).isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.unit()).isEqualTo("mm[Hg]");
                    assertThat(e.value()).isBetween(60.0, 250.0);
                });
        assertThat(c.events).filteredOn(e -> e.resourceType().equals("Condition")).allSatisfy(e -> assertThat(e.code()).startsWith("SNOMED:"));
        assertThat(c.events).filteredOn(e -> e.resourceType().startsWith("Medication")).allSatisfy(e -> assertThat(e.code()).startsWith("RXNORM:"));
        System.out.println("synthea_ca59/fhir: " + r.resources() + " events " + r.events() + ", skipped " + r.skippedTypes() + ", left out " + r.leftOut());
    }
}
