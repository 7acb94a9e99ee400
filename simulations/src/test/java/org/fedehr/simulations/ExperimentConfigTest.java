package org.fedehr.simulations;

import org.fedehr.simulations.faults.FaultSpec;
import org.fedehr.simulations.partition.PartitionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scenario keys {@code partition:} and {@code faults:}: read strictly, errors name the file and the key. */
class ExperimentConfigTest {
    @TempDir
    Path dir;

    private Path scenario(String sites, String extra) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), "site: {id: s}\n");
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: a, type: numeric}]\n");
        Path p = dir.resolve("scenario.yaml");
        Files.writeString(p, """
                name: t
                seed: 5
                features: f.yaml
                %s
                federation: {rounds: 4, quorum: 1}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                """.formatted(sites) + extra);
        return p;
    }

    @Test
    void partitionAndFaultsAreRead() throws IOException {
        Scenario sc = Scenario.load(scenario("", """
                partition:
                  source: s.yaml
                  kind: dirichlet
                  sites: 10
                  alpha: 0.5
                  feature_shift: [{site: site-03, feature: a, scale: 0.02586}, {site: site-04, feature: a, offset: -2}]
                faults:
                  seed: 9
                  dropout: {probability: 0.2, sites: [site-01], from_round: 2}
                  stragglers: {distribution: lognormal, mean_seconds: 2, sigma: 0.3, rounds: [1, 3]}
                  crash: [{site: site-02, at_round: 2, rejoin_round: 4}]
                  partition: [{site: site-05, from_round: 1, rounds: 2}]
                  misbehaving: [{site: site-06, mode: scale, factor: -3}, {site: site-07, mode: sign_flip}]
                  errors: [{site: site-08, rounds: [2]}]
                  duplicates: [{site: site-09, rounds: [1, 4]}]
                """));
        PartitionSpec p = sc.partition();
        assertThat(p.kind()).isEqualTo(PartitionSpec.Kind.DIRICHLET);
        assertThat(p.sources()).containsExactly(dir.resolve("s.yaml"));
        assertThat(p.sites()).isEqualTo(10);
        assertThat(p.alpha()).isEqualTo(0.5);
        assertThat(p.seed()).as("the scenario's seed by default").isEqualTo(5);
        assertThat(p.testFraction()).isEqualTo(0.25);
        assertThat(p.shifts()).containsExactly(new PartitionSpec.FeatureShift("site-03", "a", 0.02586, 0),
                new PartitionSpec.FeatureShift("site-04", "a", 1, -2));
        assertThat(sc.siteCount()).isEqualTo(10);
        assertThat(sc.federation().policy().minSites()).isEqualTo(10);
        FaultSpec f = sc.faults();
        assertThat(f.seed()).isEqualTo(9L);
        assertThat(f.dropout()).isEqualTo(new FaultSpec.Dropout(0.2, List.of("site-01"), 2));
        assertThat(f.stragglers()).isEqualTo(new FaultSpec.Stragglers(FaultSpec.Distribution.LOGNORMAL, 2, 0, 0, 0.3, 1, List.of(), List.of(1, 3)));
        assertThat(f.crashes()).containsExactly(new FaultSpec.Crash("site-02", 2, 4));
        assertThat(f.partitions()).containsExactly(new FaultSpec.NetworkPartition("site-05", 1, 2));
        assertThat(f.misbehaving()).containsExactly(new FaultSpec.Misbehaving("site-06", FaultSpec.Mode.SCALE, -3, 1),
                new FaultSpec.Misbehaving("site-07", FaultSpec.Mode.SIGN_FLIP, 1, 1));
        assertThat(f.errors()).containsExactly(new FaultSpec.SiteRounds("site-08", List.of(2)));
        assertThat(f.duplicates()).containsExactly(new FaultSpec.SiteRounds("site-09", List.of(1, 4)));
        assertThat(sc.withSeed(6).faults()).isEqualTo(f);
        assertThat(sc.withSeed(6).partition()).isEqualTo(p);
    }

    @Test
    void badPartitionKeysAreNamed() throws IOException {
        Path f = scenario("", "partition: {source: s.yaml, kind: zipf, sites: 3}\n");
        assertThatThrownBy(() -> Scenario.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("partition.kind: unknown kind 'zipf' (expected natural|iid|dirichlet|quantity)");
        Path g = scenario("", "partition: {source: s.yaml, kind: dirichlet, sites: 3}\n");
        assertThatThrownBy(() -> Scenario.load(g)).hasMessageContaining("partition: alpha must be > 0, was NaN");
        Path h = scenario("sites: [s.yaml]", "partition: {source: s.yaml, kind: iid, sites: 3}\n");
        assertThatThrownBy(() -> Scenario.load(h)).hasMessageContaining("sites: give either sites or partition.source");
        Path i = scenario("", "partition: {source: s.yaml, kind: quantity, sites: 3, alpha: 1, power: 1}\n");
        assertThatThrownBy(() -> Scenario.load(i)).hasMessageContaining("exactly one of alpha (Dirichlet sizes) or power");
        Path j = scenario("", "partition: {source: missing.yaml, kind: iid, sites: 3}\n");
        assertThatThrownBy(() -> Scenario.load(j)).hasMessageContaining("partition.source: file not found");
        Path k = scenario("", "partition: {source: s.yaml, kind: iid, sites: 3, feature_shift: [{site: site-01, feature: a, scael: 2}]}\n");
        assertThatThrownBy(() -> Scenario.load(k)).hasMessageContaining("partition.feature_shift[0].scael: unknown key");
    }

    @Test
    void badFaultKeysAreNamed() throws IOException {
        Path f = scenario("sites: [s.yaml]", "faults: {crash: [{site: s, at_round: 3, rejoin_round: 2}]}\n");
        assertThatThrownBy(() -> Scenario.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("faults.crash[0].at_round: rejoin_round must be after at_round 3, was 2");
        Path g = scenario("sites: [s.yaml]", "faults: {misbehaving: [{site: s, mode: flip}]}\n");
        assertThatThrownBy(() -> Scenario.load(g)).hasMessageContaining("faults.misbehaving[0].mode: unknown mode 'flip' (expected sign_flip|scale|random)");
        Path h = scenario("sites: [s.yaml]", "faults: {stragglers: {distribution: gamma, mean_seconds: 1}}\n");
        assertThatThrownBy(() -> Scenario.load(h)).hasMessageContaining("faults.stragglers.distribution: unknown distribution 'gamma'");
        Path i = scenario("sites: [s.yaml]", "faults: {dropout: {probability: 1.5}}\n");
        assertThatThrownBy(() -> Scenario.load(i)).hasMessageContaining("faults.dropout: probability must be in [0, 1], was 1.5");
        Path j = scenario("sites: [s.yaml]", "faults: {dropouts: {probability: 0.1}}\n");
        assertThatThrownBy(() -> Scenario.load(j)).hasMessageContaining("faults.dropouts: unknown key");
        Path k = scenario("sites: [s.yaml]", "faults: {partition: [{site: s, from_round: 1}]}\n");
        assertThatThrownBy(() -> Scenario.load(k)).hasMessageContaining("faults.partition[0].rounds: missing (required)");
        Path l = scenario("sites: [s.yaml]", "mode: in-process\nfaults: {dropout: {probability: 0.1}}\n");
        assertThatThrownBy(() -> Scenario.load(l)).hasMessageContaining("faults: fault injection acts on each site's network link and runs in mode: network only");
        // a site a fault names must exist, and its round lie within the run: checked before the run starts
        Scenario ok = Scenario.load(scenario("sites: [s.yaml]", "faults: {crash: [{site: x, at_round: 2}]}\n"));
        assertThatThrownBy(() -> Faults.plans(ok, List.of(5L), List.of("s"))).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("scenario.yaml: faults.crash[0].site: 'x' is not a site of this scenario (sites: s)");
    }
}
