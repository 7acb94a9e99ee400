package org.fedehr.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void trainResultNoData() {
        TrainResult r = TrainResult.noData();
        assertThat(r.hasData()).isFalse();
        assertThat(r.delta()).isNull();
        assertThat(r.numExamples()).isZero();
        assertThat(r.meanLoss()).isNaN();
        assertThat(r.steps()).isZero();
        assertThat(r).isEqualTo(TrainResult.noData());
    }

    @Test
    void trainResultEqualityUsesArrayContents() {
        TrainResult a = new TrainResult(new float[] {1, 2}, 3, 0.5, 1);
        TrainResult b = new TrainResult(new float[] {1, 2}, 3, 0.5, 1);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.hasData()).isTrue();
        assertThat(a.toString()).contains("float[2]");
        assertThatThrownBy(() -> new TrainResult(null, 3, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delta");
    }

    @Test
    void evalResultNotAvailableWithoutNaN() {
        EvalResult r = EvalResult.noData();
        assertThat(r.n()).isZero();
        assertThat(r.accuracy()).isNull();
        assertThat(r.auroc()).isNull();
        assertThat(r.loss()).isZero();
        assertThat(new EvalResult(4, 3, 0.2, null, null).accuracy()).isEqualTo(0.75);
        assertThatThrownBy(() -> new EvalResult(4, 5, 0.2, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correct");
        assertThatThrownBy(() -> new EvalResult(4, 3, Double.NaN, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss");
        assertThatThrownBy(() -> new EvalResult(2, 1, 0.2, 0.5, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores");
    }
}
