package org.fedehr.simulations;

import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.data.FittedHarmonizer;
import org.fedehr.site.data.LocalStatistics;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.site.policy.StatisticsSuppression;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped heart-disease site policy approves exactly the model the heart-disease federation trains: the logistic
 * ModelSpec of configs/simulations/heart-disease.yaml at the harmonised width, both when the sites' statistics are
 * released in full (width 18) and when every site suppresses cells under the policy's own minimum cohort (width 20).
 */
class SitePolicyHeartDiseaseTest {
    static final Path POLICY = Path.of("../configs/sites/heart-disease/policy.yaml");

    @Test
    void shippedPolicyApprovesTheHeartDiseaseModel() {
        SitePolicy p = SitePolicy.load(POLICY);
        assertThat(p.secureAggregationRequired()).isTrue();
        assertThat(p.approvedModels()).hasSize(2);
        String env = System.getenv("FEDEHR_DATA");
        assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set");
        Path dataRoot = Path.of(env);
        assumeTrue(Files.isRegularFile(dataRoot.resolve("heart_disease/flamby_split.csv")), "no heart_disease data");
        Scenario sc = Scenario.load(Path.of("../configs/simulations/heart-disease.yaml"));
        Map<String, SiteData> sites = Simulation.loadSites(sc, dataRoot);
        List<String> expected = new ArrayList<>();
        for (int min : new int[]{0, p.minCohort()}) {
            List<FeatureStatistics> released = new ArrayList<>();
            for (SiteData d : sites.values())
                released.add(StatisticsSuppression.suppress(LocalStatistics.compute(sc.federation().dictionary(), d.train()), min));
            int width = FittedHarmonizer.fit(sc.federation().dictionary(), FeatureStatistics.merge(released)).width();
            String digest = sc.federation().modelSpec(width).digest();
            assertThat(p.approvedModels()).as("min cohort %d: width %d, digest %s", min, width, digest).contains(digest);
            expected.add(digest);
        }
        assertThat(p.approvedModels()).containsExactlyInAnyOrderElementsOf(expected);
    }
}
