package org.fedehr.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped longitudinal scenarios list event site configs; anything else is refused naming the key. */
class LongitudinalScenarioTest {
    static final Path SIMS = Path.of("..", "configs", "simulations");

    @Test
    void shippedScenariosListTheirEventSiteConfigs() {
        for (String name : new String[] {"physionet2012-mortality.yaml", "physionet2012-mortality-lstm.yaml"}) {
            LongitudinalScenario sc = LongitudinalScenario.load(SIMS.resolve(name));
            assertThat(sc.siteFiles()).as(name).hasSize(4).allMatch(Files::isRegularFile)
                    .extracting(p -> p.getFileName().toString()).containsExactly("icu1.yaml", "icu2.yaml", "icu3.yaml", "icu4.yaml");
            assertThat(sc.testFraction()).isEqualTo(0.2);
        }
        LongitudinalScenario eicu = LongitudinalScenario.load(SIMS.resolve("eicu-mortality.yaml"));
        assertThat(eicu.siteFiles()).extracting(p -> p.getParent().getFileName().toString()).containsOnly("eicu").hasSize(4);
    }

    @Test
    void aHardCodedSourceOrAMissingSiteIsRefused(@TempDir Path tmp) throws Exception {
        String yaml = Files.readString(SIMS.resolve("physionet2012-mortality.yaml"))
                .replace("../sites/", SIMS.resolve("../sites").toAbsolutePath().normalize() + "/");
        Path legacy = tmp.resolve("legacy.yaml");
        Files.writeString(legacy, yaml.replace("longitudinal:", "longitudinal:\n  source: physionet2012"));
        assertThatThrownBy(() -> LongitudinalScenario.load(legacy)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("longitudinal.source").hasMessageContaining("longitudinal.sites");
        Path missing = tmp.resolve("missing.yaml");
        Files.writeString(missing, yaml.replace("icu4.yaml", "icu9.yaml"));
        assertThatThrownBy(() -> LongitudinalScenario.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("longitudinal.sites[3]").hasMessageContaining("icu9.yaml");
    }
}
