package org.fedehr.simulations;

import org.fedehr.coordinator.FedAdam;
import org.fedehr.coordinator.FedAvg;
import org.fedehr.coordinator.FedProx;
import org.fedehr.coordinator.Krum;
import org.fedehr.protocol.msg.LocalAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code federation.strategy} and {@code federation.strategy_params} in a scenario: parsed strictly, errors name file and key. */
class StrategyConfigTest {
    @TempDir
    Path dir;

    private Path scenario(String federation, String rest) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), "site: {id: s}\n");
        Files.writeString(dir.resolve("f.yaml"), "features: [{name: a, type: numeric}]\n");
        Path p = dir.resolve("scenario.yaml");
        Files.writeString(p, """
                name: t
                seed: 5
                features: f.yaml
                sites: [s.yaml]
                federation:
                  rounds: 1
                  quorum: 1
                %s
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.1}
                """.formatted(federation.indent(2).stripTrailing()) + rest);
        return p;
    }

    private FederationSpec load(String federation, String rest) throws IOException {
        return Scenario.load(scenario(federation, rest)).federation();
    }

    @Test
    void defaultIsFedAvg() throws IOException {
        FederationSpec f = load("", "");
        assertThat(f.strategy()).isEqualTo("fedavg");
        assertThat(f.newStrategy()).isInstanceOf(FedAvg.class);
    }

    @Test
    void strategyParamsAreRead() throws IOException {
        FederationSpec f = load("strategy: fedadam\nstrategy_params: {eta: 0.05, tau: 1.0e-8, beta2: 0.999}", "");
        FedAdam a = (FedAdam) f.newStrategy();
        assertThat(new double[]{a.eta(), a.beta1(), a.beta2(), a.tau()}).containsExactly(0.05, 0.9, 0.999, 1e-8);
        assertThat(f.newStrategy()).as("a fresh instance per run").isNotSameAs(f.newStrategy());
        FedProx p = (FedProx) load("strategy: fedprox\nserver_learning_rate: 0.5\nstrategy_params: {mu: 0.1}", "").newStrategy();
        assertThat(p.localAlgorithm()).isEqualTo(LocalAlgorithm.fedProx(0.1));
        Krum k = (Krum) load("strategy: krum\nstrategy_params: {byzantine: 0, multi_krum: 2}", "secure_aggregation: false\n").newStrategy();
        assertThat(k.multiKrum()).isEqualTo(2);
    }

    @Test
    void unknownStrategyListsTheAvailableOnes() {
        assertThatThrownBy(() -> load("strategy: fedsgd", ""))
                .hasMessageContaining("scenario.yaml line").hasMessageContaining("federation.strategy: unknown strategy 'fedsgd'"
                        + " (available: fedavg, fedprox, scaffold, ditto, fedadam, fedyogi, fedadagrad, fedmedian, trimmed_mean, krum)");
    }

    @Test
    void badParameterNamesItsKey() {
        assertThatThrownBy(() -> load("strategy: fedadam\nstrategy_params: {tau: 0}", ""))
                .hasMessageContaining("federation.strategy_params.tau: must be > 0, was 0.0");
        assertThatThrownBy(() -> load("strategy: fedadam\nstrategy_params: {mu: 0.1}", ""))
                .hasMessageContaining("federation.strategy_params.mu: unknown parameter for fedadam (expected one of [beta1, beta2, eta, tau])");
        assertThatThrownBy(() -> load("strategy: fedadam\nserver_learning_rate: 1.0", ""))
                .hasMessageContaining("federation.server_learning_rate: does not apply to fedadam");
        assertThatThrownBy(() -> load("strategy: fedavg\nserver_learning_rate: 1.0\nstrategy_params: {server_learning_rate: 2}", ""))
                .hasMessageContaining("federation.server_learning_rate: given twice");
        assertThatThrownBy(() -> load("strategy: fedavg\nserver_learning_rate: -1", ""))
                .hasMessageContaining("federation.server_learning_rate: must be > 0");
    }

    @Test
    void robustStrategiesAreRefusedWithSecureAggregation() {
        for (String s : new String[]{"fedmedian", "trimmed_mean", "krum"}) {
            assertThatThrownBy(() -> load("strategy: " + s, ""))
                    .hasMessageContaining("federation.strategy: " + s + " needs every site's individual update")
                    .hasMessageContaining("set secure_aggregation: false");
        }
    }

    @Test
    void siteSideStrategiesNeedSgd() throws IOException {
        Path p = scenario("strategy: scaffold", "");
        Files.writeString(p, Files.readString(p).replace("optimizer: sgd", "optimizer: adam"));
        assertThatThrownBy(() -> Scenario.load(p)).hasMessageContaining("training.optimizer: scaffold changes the sites' SGD steps");
    }

    @Test
    void withStrategyForGrids() throws IOException {
        FederationSpec f = load("", "secure_aggregation: false\n");
        FederationSpec g = f.withStrategy("trimmed_mean", Map.of("trim_fraction", 0.25));
        assertThat(g.strategy()).isEqualTo("trimmed_mean");
        assertThat(g.strategyParams()).containsEntry("trim_fraction", 0.25);
        assertThatThrownBy(() -> load("", "").withStrategy("krum", Map.of())).hasMessageContaining("krum needs every site's individual update");
    }
}
