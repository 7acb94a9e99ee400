package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Site policies in a whole federation (the synthetic one of {@link SyntheticFederationTest}): a policy that admits
 * everything leaves the results unchanged; a refusing policy shows in the coordinator's round record as the site's
 * failure "refused" with the reason code. The coordinator cannot switch it off: here it runs without secure aggregation
 * and the sites, whose policy requires it, refuse every TRAIN round.
 */
class SitePolicySimulationTest {
    @TempDir
    static Path dir;
    static Scenario scenario;
    static SeedResult plain;

    @BeforeAll
    static void federation() throws Exception {
        SyntheticFederationTest.dir = dir;
        SyntheticFederationTest.writeFederation();
        scenario = SyntheticFederationTest.scenario;
        plain = ScenarioRunner.run(scenario, dir, List.of(), null, null, false).results().get(0);
    }

    @Test
    void aPolicyThatAdmitsEverythingLeavesTheResultsUnchanged() throws Exception {
        Path policy = dir.resolve("admit-all.yaml");
        Files.writeString(policy, "approved_models: [" + plain.modelDigest() + "]\nmin_cohort: 0\nsecure_aggregation_required: false\n");
        Files.writeString(dir.resolve("with-policy.yaml"), Files.readString(dir.resolve("scenario.yaml")) + "site_policy: admit-all.yaml\n");
        Scenario sc = Scenario.load(dir.resolve("with-policy.yaml"));
        assertThat(sc.sitePolicy()).isEqualTo(policy.normalize());
        var outcome = ScenarioRunner.run(sc, dir, List.of(), null, null, false);
        SeedResult r = outcome.results().get(0);
        assertThat(r.status()).isEqualTo(plain.status());
        assertThat(r.modelSha256()).isEqualTo(plain.modelSha256());
        assertThat(r.federated()).isEqualTo(plain.federated());
        for (RoundRecord rr : r.rounds()) assertThat(rr.failures()).isEmpty();
    }

    @Test
    void refusalsAreRecordedByTheCoordinatorWithTheirReason() throws Exception {
        Files.writeString(dir.resolve("secagg-required.yaml"), "approved_models: [" + plain.modelDigest() + "]\nsecure_aggregation_required: true\n");
        // the coordinator runs without secure aggregation (it is on by default)
        Files.writeString(dir.resolve("no-secagg.yaml"), Files.readString(dir.resolve("scenario.yaml"))
                + "secure_aggregation: {enabled: false}\nsite_policy: secagg-required.yaml\n");
        Scenario sc = Scenario.load(dir.resolve("no-secagg.yaml"));
        assertThat(sc.federation().secureAggregation()).isNull();
        SeedResult r = ScenarioRunner.run(sc, dir, List.of(), null, null, false).results().get(0);
        assertThat(r.rounds()).isNotEmpty();
        for (RoundRecord rr : r.rounds()) {     // no round gets an update: every site refused to train
            assertThat(rr.failures()).extracting(SiteFailure::siteId).contains("A", "C");
            assertThat(rr.failures()).allSatisfy(f -> {
                assertThat(f.reason()).isEqualTo("refused");
                assertThat(f.detail()).isEqualTo("secure aggregation required");
            });
            assertThat(rr.contributed()).isEmpty();
            assertThat(rr.updated()).isFalse();
        }
    }

    @Test
    void aBadPolicyFileFailsTheScenarioWithFileLineAndKey() throws Exception {
        Files.writeString(dir.resolve("bad-policy.yaml"), "manual_approval: true\nmax_round: 3\n");
        Files.writeString(dir.resolve("bad.yaml"), Files.readString(dir.resolve("scenario.yaml")) + "site_policy: bad-policy.yaml\n");
        assertThatThrownBy(() -> Scenario.load(dir.resolve("bad.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad-policy.yaml").hasMessageContaining("line 2").hasMessageContaining("max_round");
    }
}
