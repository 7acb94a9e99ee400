package org.fedehr.simulations.synthea;

import org.fedehr.simulations.Scenario;
import org.fedehr.simulations.SyntheaScenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped default scenario reads and describes four distinct generated hospitals and the IHD task. */
class SyntheaScenarioConfigTest {
    static final Path FILE = Path.of("..", "configs", "simulations", "synthea-default.yaml");

    @Test
    void defaultScenarioDeclaresFourDistinctCitiesAndTheTask() {
        Scenario sc = Scenario.load(FILE);
        assertThat(sc.name()).isEqualTo("synthea-default");
        assertThat(sc.siteFiles()).hasSize(4);
        SyntheaScenario s = SyntheaScenario.read(FILE).orElseThrow();
        SyntheaSpec spec = s.spec();
        assertThat(spec.sites()).hasSize(4);
        Set<String> places = new HashSet<>();
        spec.sites().forEach(site -> places.add(site.place()));
        assertThat(places).hasSize(4);
        // site ids name the site configs' tables: <id>.csv
        for (int i = 0; i < 4; i++)
            assertThat(sc.siteFiles().get(i).getFileName().toString()).isEqualTo(spec.sites().get(i).id() + ".yaml");
        assertThat(spec.referenceDate()).isEqualTo(LocalDate.of(2025, 1, 1));
        CohortTask t = s.task();
        assertThat(t.outcomeCodes()).containsExactly("414545008");
        assertThat(t.anchor()).isEqualTo(LocalDate.of(2020, 1, 1));
        assertThat(t.horizonEnd()).isBeforeOrEqualTo(spec.referenceDate());
        assertThat(t.windowStart()).isAfterOrEqualTo(spec.referenceDate().minusYears(spec.yearsOfHistory()));
        assertThat(t.measurements()).extracting(CohortTask.Measurement::loinc).contains("8480-6", "2093-3", "4548-4");
        assertThat(t.columns()).contains("sbp_last", "sbp_mean", "hypertension", "smoking", "age", "male");
    }

    @Test
    void aScenarioWithoutSyntheaSectionHasNone() {
        assertThat(SyntheaScenario.read(Path.of("..", "configs", "simulations", "heart-disease.yaml"))).isEmpty();
    }
}
