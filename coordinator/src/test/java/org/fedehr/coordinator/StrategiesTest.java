package org.fedehr.coordinator;

import org.fedehr.protocol.msg.LocalAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strategy factory: names, defaults, parameter validation naming the key. */
class StrategiesTest {
    @Test
    void everyNameBuildsWithDefaults() {
        for (String name : Strategies.NAMES) assertThat(Strategies.create(name).name()).isEqualTo(name);
        assertThat(Strategies.needIndividualUpdates()).containsExactly("fedmedian", "krum", "trimmed_mean");
    }

    @Test
    void defaultsAndParameters() {
        FedAdam a = (FedAdam) Strategies.create("fedadam");
        assertThat(new double[]{a.eta(), a.beta1(), a.beta2(), a.tau()}).containsExactly(0.01, 0.9, 0.99, 1e-3);
        FedYogi y = (FedYogi) Strategies.create("fedyogi", Map.of("eta", "0.1", "tau", 1e-8, "beta2", 0.999));
        assertThat(new double[]{y.eta(), y.beta1(), y.beta2(), y.tau()}).containsExactly(0.1, 0.9, 0.999, 1e-8);
        assertThat(((FedProx) Strategies.create("fedprox", Map.of("mu", 0.5))).localAlgorithm()).isEqualTo(LocalAlgorithm.fedProx(0.5));
        assertThat(((Ditto) Strategies.create("ditto", Map.of("lambda", 1))).lambda()).isEqualTo(1.0);
        Krum k = (Krum) Strategies.create("krum", Map.of("byzantine", 2, "multi_krum", 3));
        assertThat(k.byzantine()).isEqualTo(2);
        assertThat(k.multiKrum()).isEqualTo(3);
        assertThat(((TrimmedMean) Strategies.create("trimmed_mean", Map.of("trim_fraction", 0.2))).beta()).isEqualTo(0.2);
        assertThat(Strategies.create("fedavg").localAlgorithm()).isNull();
        assertThat(Strategies.create("ditto").personalised()).isTrue();
        assertThat(Strategies.create("fedprox").personalised()).isFalse();
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        assertThatThrownBy(() -> Strategies.create("fedsgd"))
                .hasMessage("unknown strategy 'fedsgd' (available: fedavg, fedprox, scaffold, ditto, fedadam, fedyogi, "
                        + "fedadagrad, fedmedian, trimmed_mean, krum)");
    }

    @Test
    void badParametersNameTheKey() {
        assertThatThrownBy(() -> Strategies.create("fedadam", Map.of("tau", 0)))
                .isInstanceOfSatisfying(Strategies.StrategyConfigException.class, e -> assertThat(e.key()).isEqualTo("tau"))
                .hasMessage("tau: must be > 0, was 0.0");
        assertThatThrownBy(() -> Strategies.create("fedyogi", Map.of("beta2", 1)))
                .hasMessage("beta2: must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> Strategies.create("krum", Map.of("byzantine", 1.5)))
                .hasMessage("byzantine: expected an integer, found '1.5'");
        assertThatThrownBy(() -> Strategies.create("krum", Map.of("multi_krum", 0)))
                .hasMessage("multi_krum: must be >= 1, was 0");
        assertThatThrownBy(() -> Strategies.create("fedprox", Map.of("mu", "lots")))
                .hasMessage("mu: expected a number, found 'lots'");
        assertThatThrownBy(() -> Strategies.create("fedprox", Map.of("server_learning_rate", -1)))
                .hasMessage("server_learning_rate: must be > 0, was -1.0");
        assertThatThrownBy(() -> Strategies.create("fedavg", Map.of("mu", 0.1)))
                .isInstanceOfSatisfying(Strategies.StrategyConfigException.class, e -> assertThat(e.key()).isEqualTo("mu"))
                .hasMessage("mu: unknown parameter for fedavg (expected one of [server_learning_rate])");
        assertThatThrownBy(() -> Strategies.create("fedmedian", Map.of("beta", 0.1)))
                .hasMessage("beta: unknown parameter for fedmedian (expected none)");
    }
}
