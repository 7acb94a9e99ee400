package org.fedehr.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedehr.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecAggBenchTest {

    static final List<String> KEYS = List.of("sites", "params", "dropouts", "drop_stage", "plain_round_seconds",
            "secure_round_seconds", "ratio", "plain_round_with_training_seconds", "secure_round_with_training_seconds",
            "ratio_with_training", "mask_seconds_per_site", "aes_ctr_floor_seconds_per_site", "mask_vs_floor",
            "upload_bytes_per_site", "raw_param_bytes", "bytes_ratio", "plain_upload_bytes_per_site", "unmask_seconds",
            "completed");

    private static JsonNode runCli(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        assertThat(code).as("exit code, output: %s", out).isZero();
        String[] lines = out.split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void commandPrintsEveryKeyAndTheSecureRoundCompletes() throws Exception {
        JsonNode j = runCli("bench", "secagg", "--sites", "4", "--params", "1000", "--rounds", "1", "--warmup", "0", "--json");
        for (String k : KEYS) assertThat(j.has(k)).as("key %s in %s", k, j).isTrue();
        assertThat(j.get("completed").asBoolean()).isTrue();
        assertThat(j.get("sites").asInt()).isEqualTo(4);
        assertThat(j.get("params").asInt()).isEqualTo(1000);
        assertThat(j.get("raw_param_bytes").asLong()).isEqualTo(4000);
        assertThat(j.get("upload_bytes_per_site").asLong()).isGreaterThan(4000);
        assertThat(j.get("max_abs_error").asDouble()).isLessThanOrEqualTo(j.get("error_bound").asDouble());
    }

    @Test
    void secureMeanEqualsPlainMeanWithinTheStepWithDropoutsBeforeUpload() throws Exception {
        SecAggBench.Options o = new SecAggBench.Options(4, 1000, 1, SecAggBench.DropStage.BEFORE_UPLOAD, 1, 0, false, 11);
        var r = SecAggBench.run(o, new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(r.get("completed")).isEqualTo(true);
        // run() throws when the secure mean is off by more than the quantisation bound; the report says by how much
        assertThat((double) r.get("max_abs_error")).isLessThanOrEqualTo((double) r.get("error_bound"));
        assertThat((double) r.get("error_bound")).isPositive().isLessThan(1e-6);
    }
}
