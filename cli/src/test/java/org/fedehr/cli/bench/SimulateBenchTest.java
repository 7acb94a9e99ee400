package org.fedehr.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedehr.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fedehr bench simulate --json}: one JSON line with the fields, from the command as users run it. */
class SimulateBenchTest {
    @Test
    void jsonLineCarriesTheRequiredFields() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.execute(new String[]{"bench", "simulate", "--sites", "12", "--rounds", "2", "--json"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        assertThat(code).as(out).isZero();
        assertThat(out.lines().count()).as(out).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(out);
        for (String k : new String[]{"sites", "rounds", "seconds", "site_rounds_per_second", "peak_rss_mb", "peak_heap_mb",
                "cpu_seconds", "final_accuracy", "secure_aggregation"})
            assertThat(j.has(k)).as("key %s in %s", k, j).isTrue();
        assertThat(j.get("sites").asInt()).isEqualTo(12);
        assertThat(j.get("rounds").asInt()).isEqualTo(2);
        assertThat(j.get("site_rounds").asInt()).isEqualTo(24);
        assertThat(j.get("secure_aggregation").asBoolean()).isFalse();
        assertThat(j.get("completed").asBoolean()).isTrue();
    }

    @Test
    void badSiteCountIsAOneLineError() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.execute(new String[]{"bench", "simulate", "--sites", "0"});
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("sites must be >= 1, was 0");
    }
}
