package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Synthea ca59 run read twice, through configs/sites/synthea/ca59.yaml (CSV) and configs/sites/synthea-fhir/ca59.yaml
 * (FHIR bundles), gives the same stays (every FHIR patient is a CSV stay), labels, gender, and per stay the same
 * events per concept at the same minutes after the anchor and the same codes per code set. Documented differences:
 * the CSV export rounds values to one decimal (FHIR keeps two: compared within 0.051); condition and medication
 * codes compared by day within one day (the CSV START of a condition is a local date, FHIR's onset a timestamp); no race static in FHIR.
 * Needs FEDEHR_DATA.
 */
class FhirCsvConsistencyTest {
    private Path root;

    @BeforeEach
    void requireData() {
        String env = System.getenv("FEDEHR_DATA");
        Assumptions.assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set: skipping the Synthea FHIR/CSV comparison");
        root = Path.of(env);
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("synthea_ca59/fhir")) && Files.isDirectory(root.resolve("synthea_ca59/csv")),
                "FEDEHR_DATA=" + env + " has no synthea_ca59/fhir and csv: skipping");
    }

    /** Per stay: label, gender, sorted "concept@minute=value" events and sorted "set:minute:code" codes. */
    private static Map<String, List<String>> summary(String config, Path root) {
        EventSiteConfig cfg = EventSiteConfig.load(Path.of(config));
        EventDictionary d = cfg.dictionary();
        Map<String, List<String>> out = new TreeMap<>();
        EventSources.open(cfg, root).forEachStay(new HarmonisationReport(d), s -> {
            List<String> l = new java.util.ArrayList<>();
            for (int i = 0; i < s.size(); i++)
                l.add(d.series().get(s.concept(i)).name() + "@" + Math.round(s.minute(i)) + "=" + s.value(i));
            for (int k = 0; k < d.codeSets().size(); k++)
                for (StayEvents.CodeEvent e : s.codes(k)) l.add(d.codeSets().get(k).name() + ":" + e.code() + "~" + (long) Math.floor(e.minute() / 1440));
            l.sort(null);
            l.add(0, "label=" + s.label() + " gender=" + s.categoricalStatic(d.staticIndex("gender")));
            out.put(s.stayId(), l);
        });
        return out;
    }

    private static String key(String e) {
        if (e.startsWith("label")) return e;
        if (e.contains("~")) return e.substring(0, e.indexOf('~'));
        return e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
    }

    private static double value(String e) {
        return Double.parseDouble(e.substring(e.indexOf('=') + 1));
    }

    @Test
    void fhirAndCsvGiveTheSameStaysAndEvents() {
        Map<String, List<String>> fhir = summary("../configs/sites/synthea-fhir/ca59.yaml", root);
        Map<String, List<String>> csv = summary("../configs/sites/synthea/ca59.yaml", root);
        assertThat(fhir).hasSize(3);
        assertThat(csv).hasSize(59);
        assertThat(csv.keySet()).containsAll(fhir.keySet());
        Map<String, Integer> perConcept = new HashMap<>();
        for (String id : fhir.keySet()) {
            List<String> f = fhir.get(id), c = csv.get(id);
            assertThat(f.stream().map(FhirCsvConsistencyTest::key).toList()).as("stay " + id)
                    .containsExactlyElementsOf(c.stream().map(FhirCsvConsistencyTest::key).toList());
            for (int i = 1; i < f.size(); i++)   // 0: label and gender, compared above
                if (f.get(i).contains("="))   // the CSV export rounds values to one decimal, FHIR keeps two
                    assertThat(value(f.get(i))).as("stay " + id + " " + key(f.get(i))).isCloseTo(value(c.get(i)), within(0.051));
                else if (f.get(i).contains("~"))   // CSV START is the local date, FHIR onset a timestamp with offset
                    assertThat(Long.parseLong(f.get(i).substring(f.get(i).indexOf('~') + 1)))
                            .as("stay " + id + " " + key(f.get(i))).isCloseTo(Long.parseLong(c.get(i).substring(c.get(i).indexOf('~') + 1)), within(1L));
            for (String e : f) perConcept.merge(e.split("[@:]")[0], 1, Integer::sum);
        }
        assertThat(perConcept.keySet()).contains("heart_rate", "sys_bp", "conditions");
    }
}
