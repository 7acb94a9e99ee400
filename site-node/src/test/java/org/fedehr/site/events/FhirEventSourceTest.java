package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-written bulk-export NDJSON fixture through a {@code source: {format: fhir}} site config (no data needed). */
class FhirEventSourceTest {
    @TempDir
    Path dir;

    private static final String DICT = Path.of("../configs/federations/synthea/dictionary.yaml").toAbsolutePath().normalize().toString();

    private Path config(String extra) throws IOException {
        Path c = dir.resolve("site.yaml");
        Files.writeString(c, """
                site: {id: fx}
                dictionary: %s
                on_invalid_event: drop
                source:
                  format: fhir
                  files: fhir/*.ndjson
                  code_sets:
                    - {system: SNOMED, code_set: conditions}
                    - {system: RXNORM, code_set: medications}
                anchor: last_event
                label: {attribute: deceased_date, positive_if_present: true}
                statics:
                  - {concept: gender, attribute: gender, replace: [{from: male, to: M}, {from: female, to: F}]}
                mappings:
                  - {code: "LOINC:8867-4", concept: heart_rate}
                  - {code: "LOINC:8480-6", concept: sys_bp}
                  - {code: "LOINC:8462-4", concept: dias_bp}
                  - {code: "LOINC:2339-0", concept: glucose}
                %s""".formatted(DICT, extra));
        return c;
    }

    private void fixture() throws IOException {
        Path f = Files.createDirectories(dir.resolve("fhir"));
        Files.writeString(f.resolve("Patient.ndjson"), """
                {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1950-01-01","deceasedDateTime":"2020-06-01T00:00:00Z"}
                {"resourceType":"Patient","id":"p2","gender":"male","birthDate":"1990-01-01"}
                """);
        String q = "{\"resourceType\":\"Observation\",\"id\":\"%s\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/%s\"},"
                + "\"effectiveDateTime\":\"%s\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"%s\"}]},"
                + "\"valueQuantity\":{\"value\":%s,\"system\":\"http://unitsofmeasure.org\",\"code\":\"%s\"}}\n";
        Files.writeString(f.resolve("Observation.ndjson"),
                q.formatted("o1", "p1", "2020-01-01T00:00:00Z", "8867-4", "72", "/min")
                + q.formatted("o2", "p1", "2020-01-01T01:00:00Z", "2339-0", "5.5", "mmol/L")      // -> 99.0858 mg/dL
                + q.formatted("o3", "p1", "2020-01-01T02:00:00Z", "8867-4", "400", "/min")        // above range: dropped
                + q.formatted("o4", "p1", "2020-01-01T03:00:00Z", "9999-9", "1", "1")             // unmapped code
                + q.formatted("o5", "ghost", "2020-01-01T03:00:00Z", "8867-4", "60", "/min")      // no Patient
                + "{\"resourceType\":\"Observation\",\"id\":\"bp\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/p2\"},"
                + "\"effectiveDateTime\":\"2019-03-01T00:00:00Z\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}]},"
                + "\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"}]},"
                + "\"valueQuantity\":{\"value\":120,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\"}]},"
                + "\"valueQuantity\":{\"value\":80,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}]}\n");
        Files.writeString(f.resolve("Condition.ndjson"), """
                {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p2"},"onsetDateTime":"2019-02-01T00:00:00Z","code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]}}
                """);
        Files.writeString(f.resolve("MedicationRequest.ndjson"), """
                {"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","subject":{"reference":"Patient/p2"},"authoredOn":"2019-02-02T00:00:00Z","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975"}]}}
                """);
    }

    private List<StayEvents> read(EventSiteConfig cfg, HarmonisationReport report) {
        List<StayEvents> out = new ArrayList<>();
        EventSources.open(cfg, dir).forEachStay(report, out::add);
        return out;
    }

    @Test
    void ndjsonFixtureGivesHandComputedStays() throws IOException {
        fixture();
        EventSiteConfig cfg = EventSiteConfig.load(config(""));
        EventDictionary d = cfg.dictionary();
        HarmonisationReport report = new HarmonisationReport(d);
        List<StayEvents> stays = read(cfg, report);
        assertThat(stays).extracting(StayEvents::stayId).containsExactly("p1", "p2");
        int bin = d.binMinutes(), window = d.windowMinutes();

        StayEvents p1 = stays.get(0);
        assertThat(p1.label()).isEqualTo(1);
        assertThat(p1.categoricalStatic(d.staticIndex("gender"))).isEqualTo("F");
        assertThat(p1.size()).isEqualTo(2);                                  // HR 72 and glucose; HR 400 and the unmapped code dropped
        assertThat(p1.concept(0)).isEqualTo(d.seriesIndex("heart_rate"));
        assertThat(p1.value(0)).isEqualTo(72.0);
        assertThat(p1.concept(1)).isEqualTo(d.seriesIndex("glucose"));
        assertThat(p1.value(1)).isCloseTo(5.5 * 180.156 / 10, within(1e-6));   // mmol/L -> mg/dL
        assertThat(p1.minute(1) - p1.minute(0)).isEqualTo(60.0);
        // last_event: the last event (2020-01-01 01:00) lies in the last of the ten one-year bins
        double last = java.time.Instant.parse("2020-01-01T01:00:00Z").getEpochSecond() / 60.0;
        double anchor = Math.floor(last / bin) * bin - (window - bin);
        assertThat(p1.minute(1)).isEqualTo(last - anchor);
        assertThat(p1.minute(1)).isBetween((double) window - bin, (double) window);

        StayEvents p2 = stays.get(1);
        assertThat(p2.label()).isZero();
        assertThat(p2.categoricalStatic(d.staticIndex("gender"))).isEqualTo("M");
        assertThat(p2.size()).isEqualTo(2);
        assertThat(p2.value(0)).isEqualTo(120.0);
        assertThat(p2.value(1)).isEqualTo(80.0);
        assertThat(p2.codesInWindow(d.codeSetIndex("conditions"), window)).containsExactly("44054006");
        assertThat(p2.codesInWindow(d.codeSetIndex("medications"), window)).containsExactly("860975");
        assertThat(p2.codes(d.codeSetIndex("medications")).get(0).minute()
                - p2.codes(d.codeSetIndex("conditions")).get(0).minute()).isEqualTo(24 * 60.0);

        assertThat(report.staysRead()).isEqualTo(2);
    }

    @Test
    void pipelineRunsOverTheFixture() throws IOException {
        fixture();
        EventSiteConfig cfg = EventSiteConfig.load(config(""));
        EventSource src = EventSources.open(cfg, dir);
        var stats = EventPipeline.statistics(src, new HarmonisationReport(cfg.dictionary()));
        FittedEventHarmonizer fit = EventPipeline.fit(cfg.dictionary(), stats);
        SequenceDataset ds = EventPipeline.dataset(src, fit, new HarmonisationReport(cfg.dictionary()));
        assertThat(ds.stays()).extracting(StaySequence::stayId).containsExactly("p1", "p2");
        assertThat(ds.stays()).extracting(StaySequence::label).containsExactly(1, 0);
        assertThat(ds.layout().bins()).isEqualTo(10);
    }

    @Test
    void badSourceKeysAreRefusedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> EventSiteConfig.load(config("stays: {table: x.csv, id: Id}\n")))
                .hasMessageContaining("stays");
        Path c = config("");
        Files.writeString(c, Files.readString(c).replace("format: fhir", "format: hl7v2"));
        assertThatThrownBy(() -> EventSiteConfig.load(c)).hasMessageContaining("format").hasMessageContaining("hl7v2");
        Files.writeString(c, Files.readString(c).replace("format: hl7v2", "format: fhir").replace("code_set: medications", "code_set: drugs"));
        assertThatThrownBy(() -> EventSiteConfig.load(c)).hasMessageContaining("code_set").hasMessageContaining("drugs");
    }
}
