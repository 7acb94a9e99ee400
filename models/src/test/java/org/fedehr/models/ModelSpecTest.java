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
}
