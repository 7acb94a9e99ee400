package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static final ModelSpec GOLDEN = new ModelSpec("mlp", 13, List.of(16, 8), "tanh", 1e-4);

    /** Frozen: if this fails, the canonical format changed and every deployed digest with it. */
    @Test
    void goldenCanonicalJsonAndDigest() {
        assertThat(GOLDEN.canonicalJson()).isEqualTo(
                "{\"activation\":\"tanh\",\"format\":1,\"hidden\":[16,8],\"inputs\":13,\"kind\":\"mlp\",\"l2\":1.0E-4}");
        assertThat(GOLDEN.digest()).isEqualTo("ef94c24fd5149dca02857a1390d55fcb62113af1bdd0cc76bf016a5ee18b106e");
    }

    @Test
    void goldenLogistic() {
        ModelSpec spec = ModelSpec.logistic(4);
        assertThat(spec.canonicalJson()).isEqualTo(
                "{\"activation\":\"relu\",\"format\":1,\"hidden\":[],\"inputs\":4,\"kind\":\"logistic\",\"l2\":0.0}");
        assertThat(spec.digest()).isEqualTo("0e20a5f390d901ff7a65e4ca90df513e9e76d2c66ff13432a8521ef321b48027");
    }

    @Test
    void digestIsLowercaseHexSha256AndDistinguishesSpecs() {
        assertThat(GOLDEN.digest()).matches("[0-9a-f]{64}");
        assertThat(GOLDEN.withInputs(14).digest()).isNotEqualTo(GOLDEN.digest());
        assertThat(new ModelSpec("mlp", 13, List.of(16, 8), "tanh", 1e-4).digest()).isEqualTo(GOLDEN.digest());
        assertThat(new ModelSpec("logistic", 3, List.of(), "relu", -0.0).digest())
                .isEqualTo(new ModelSpec("logistic", 3, List.of(), "relu", 0.0).digest());
    }

    @Test
    void jsonRoundTrip() {
        assertThat(ModelSpec.fromJson(GOLDEN.canonicalJson())).isEqualTo(GOLDEN);
        ModelSpec logistic = ModelSpec.logistic(7);
        assertThat(ModelSpec.fromJson(logistic.canonicalJson())).isEqualTo(logistic);
    }

    @Test
    void fromMapAppliesDefaults() {
        ModelSpec spec = ModelSpec.fromMap(Map.of("kind", "logistic", "inputs", 5));
        assertThat(spec).isEqualTo(new ModelSpec("logistic", 5, List.of(), "relu", 0.0));
        ModelSpec mlp = ModelSpec.fromMap(Map.of("kind", "mlp", "inputs", 5L, "hidden", List.of(3), "l2", 0.01));
        assertThat(mlp).isEqualTo(new ModelSpec("mlp", 5, List.of(3), "relu", 0.01));
    }

    @Test
    void fromMapRejectsUnknownKeysAndBadTypes() {
        Map<String, Object> m = new HashMap<>(Map.of("kind", "mlp", "inputs", 5, "hiden", List.of(3)));
        assertThatThrownBy(() -> ModelSpec.fromMap(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiden");
        assertThatThrownBy(() -> ModelSpec.fromMap(Map.of("kind", "mlp", "inputs", 2.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs").hasMessageContaining("2.5");
        assertThatThrownBy(() -> ModelSpec.fromMap(Map.of("inputs", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"kind\":\"logistic\",\"inputs\":2,\"format\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"kind\":\"logistic\",\"kind\":\"mlp\",\"inputs\":2}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSpec.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validationNamesFieldAndValue() {
        assertThatThrownBy(() -> new ModelSpec("svm", 3, List.of(), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind").hasMessageContaining("svm");
        assertThatThrownBy(() -> new ModelSpec("logistic", 0, List.of(), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs").hasMessageContaining("0");
        assertThatThrownBy(() -> new ModelSpec("logistic", 3, List.of(4), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden").hasMessageContaining("[4]");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4, 0), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden[1]").hasMessageContaining("0");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, Arrays.asList(4, null), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden[1]");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4), "sigmoid", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activation").hasMessageContaining("sigmoid");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4), "relu", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l2").hasMessageContaining("-1");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4), "relu", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l2").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new ModelSpec("mlp", 100_000, List.of(100_000), "relu", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter count");
    }

    @Test
    void hiddenIsImmutableCopy() {
        List<Integer> hidden = new java.util.ArrayList<>(List.of(4));
        ModelSpec spec = new ModelSpec("mlp", 3, hidden, "relu", 0);
        hidden.add(5);
        assertThat(spec.hidden()).containsExactly(4);
        assertThatThrownBy(() -> spec.hidden().add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parameterCount() {
        assertThat(ModelSpec.logistic(53).parameterCount()).isEqualTo(54);
        // 13*16+16 + 16*8+8 + 8*1+1
        assertThat(GOLDEN.parameterCount()).isEqualTo(224 + 136 + 9);
        assertThat(GOLDEN.withInputs(2).inputs()).isEqualTo(2);
        assertThat(GOLDEN.withInputs(2).hidden()).isEqualTo(GOLDEN.hidden());
    }

    /** Frozen like the golden spec above: the sequence kind and its defaults. */
    @Test
    void goldenLstm() {
        ModelSpec spec = ModelSpec.lstm(111, 11, List.of(32), 1e-4, 2);
        assertThat(spec.canonicalJson()).isEqualTo("{\"activation\":\"tanh\",\"format\":1,\"hidden\":[32],\"inputs\":111,"
                + "\"kind\":\"lstm\",\"l2\":1.0E-4,\"statics\":11}");
        assertThat(spec.digest()).isEqualTo("4cddda4be019986f9e5a3614d1a75160be033e373971fe50a138289ec245f017");
        // (111 + 11) * 128 + 32 * 128 + 128 = 19840 LSTM parameters, then 32 + 1 for the sigmoid output.
        assertThat(spec.parameterCount()).isEqualTo(19873);
        assertThat(spec.isSequence()).isTrue();
        assertThat(ModelSpec.fromJson(spec.canonicalJson())).isEqualTo(spec);
        assertThat(ModelSpec.fromMap(java.util.Map.of("kind", "lstm", "inputs", 111, "statics", 11, "hidden", List.of(32),
                "activation", "tanh", "l2", 1e-4))).isEqualTo(spec);
        assertThat(spec.withStatics(10).digest()).isNotEqualTo(spec.digest());
        assertThat(ModelSpec.lstm(111, 11, List.of(32), 1e-4, 4).parameterCount()).isEqualTo(19840 + 32 * 4 + 4);
    }

    @Test
    void rejectsBadSequenceAndClassFields() {
        assertThatThrownBy(() -> new ModelSpec("lstm", 3, List.of(), "tanh", 0, 2, 0))
                .hasMessage("hidden must have at least one layer for kind lstm, got []");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4), "relu", 0, 1, 0))
                .hasMessage("classes must be >= 2, got 1");
        assertThatThrownBy(() -> new ModelSpec("mlp", 3, List.of(4), "relu", 0, 2, 2))
                .hasMessageContaining("statics must be 0 for kind mlp");
        assertThatThrownBy(() -> new ModelSpec("lstm", 3, List.of(4), "tanh", 0, 2, -1))
                .hasMessage("statics must be >= 0, got -1");
    }
}
