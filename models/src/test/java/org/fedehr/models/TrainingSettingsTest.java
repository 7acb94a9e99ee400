package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    @Test
    void exactlyOneOfEpochsAndSteps() {
        assertThat(new TrainingSettings(2, 0, 16, "sgd", 0.1).epochs()).isEqualTo(2);
        assertThat(new TrainingSettings(0, 7, 16, "adam", 0.1).steps()).isEqualTo(7);
        assertThatThrownBy(() -> new TrainingSettings(1, 1, 16, "sgd", 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs 1").hasMessageContaining("steps 1");
        assertThatThrownBy(() -> new TrainingSettings(0, 0, 16, "sgd", 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new TrainingSettings(-1, 3, 16, "sgd", 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epochs").hasMessageContaining("-1");
    }

    @Test
    void validatesOtherFields() {
        assertThatThrownBy(() -> new TrainingSettings(1, 0, 0, "sgd", 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> new TrainingSettings(1, 0, 8, "rmsprop", 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optimizer").hasMessageContaining("rmsprop");
        assertThatThrownBy(() -> new TrainingSettings(1, 0, 8, "sgd", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingSettings(1, 0, 8, "sgd", Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    }

    @Test
    void fromMap() {
        assertThat(TrainingSettings.fromMap(Map.of()))
                .isEqualTo(new TrainingSettings(1, 0, 32, "sgd", 0.01));
        assertThat(TrainingSettings.fromMap(Map.of("steps", 10, "optimizer", "adam", "learningRate", 0.001, "batchSize", 8)))
                .isEqualTo(new TrainingSettings(0, 10, 8, "adam", 0.001));
        assertThat(TrainingSettings.fromMap(Map.of("epochs", "3")))
                .isEqualTo(new TrainingSettings(3, 0, 32, "sgd", 0.01));
        assertThatThrownBy(() -> TrainingSettings.fromMap(Map.of("lr", 0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lr");
        assertThatThrownBy(() -> TrainingSettings.fromMap(Map.of("epochs", 2, "steps", 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
    }
}
