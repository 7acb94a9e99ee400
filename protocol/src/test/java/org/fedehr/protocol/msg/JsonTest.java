package org.fedehr.protocol.msg;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void snakeCaseRoundTrip() {
        RegisterRequest r = new RegisterRequest("site-A", 1);
        assertThat(Json.string(r)).isEqualTo("{\"site_id\":\"site-A\",\"protocol_version\":1}");
        assertThat(Json.parse(b("{\"site_id\":\"site-A\",\"protocol_version\":1}"), RegisterRequest.class)).isEqualTo(r);
    }

    @Test
    void unknownFieldIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Json.parse(b("{\"site_id\":\"A\",\"protocol_version\":1,\"shape\":[54]}"), RegisterRequest.class))
                .isInstanceOf(MessageFormatException.class)
                .hasMessage("unknown field 'shape' in RegisterRequest");
    }

    @Test
    void invalidValuesAndSyntaxAreMessageFormatErrors() {
        assertThatThrownBy(() -> Json.parse(b("{\"site_id\":\"bad id!\",\"protocol_version\":1}"), RegisterRequest.class))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("siteId");
        assertThatThrownBy(() -> Json.parse(b("{\"site_id\":"), RegisterRequest.class))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("invalid RegisterRequest");
        assertThatThrownBy(() -> Json.parse(b("{\"site_id\":\"A\",\"protocol_version\":null}"), RegisterRequest.class))
                .isInstanceOf(MessageFormatException.class);
    }

    @Test
    void evalMetricsNeverCarryNaN() {
        assertThat(new EvalMetrics(0, 0, null, null).accuracy()).isNull();
        assertThatThrownBy(() -> new EvalMetrics(10, 5, Double.NaN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvalMetrics(10, 5, null, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Json.string(new EvalMetrics(0, 0, null, null))).isEqualTo("{\"n\":0,\"correct\":0}");
    }
}
