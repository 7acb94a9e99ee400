package org.fedehr.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.protocol.msg.EvalMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** summary.json, rounds.csv and the final block of a deployed coordinator, from a hand-made run result. */
class DeploymentSummaryTest {
    static final String DIGEST = "ab".repeat(32);
    static final UUID RUN = UUID.fromString("409bb199-390d-479a-9ebb-5ad0305af2cb");

    @TempDir
    Path dir;

    static RunResult result() {
        // round 2's evaluation is the final one: A 30 of 40 right, B 5 of 10 (AUROC n/a: one class)
        EvaluationSummary r1 = EvaluationSummary.of(Map.of("A", new EvalMetrics(40, 20, 0.7, 0.6),
                "B", new EvalMetrics(10, 5, 0.7, null)), List.of());
        EvaluationSummary r2 = EvaluationSummary.of(Map.of("A", new EvalMetrics(40, 30, 0.5, 0.8),
                "B", new EvalMetrics(10, 5, 1.0, null)), List.of(new SiteFailure("C", "timeout", "no reply")));
        List<RoundRecord> rounds = List.of(
                new RoundRecord(1, List.of("A", "B"), Map.of("A", 80.0, "B", 20.0), List.of(), List.of(), true, "completed", r1, 100, 200, 1.5, List.of()),
                new RoundRecord(2, List.of("A", "B"), Map.of("A", 80.0, "B", 20.0), List.of(), List.of(), true, "completed", r2, 110, 210, 1.25, List.of()));
        return new RunResult(RUN, "fedavg", DIGEST, new float[]{1f, -2f, 0.5f}, rounds, 210, 410, "completed 2 rounds");
    }

    @Test
    void summaryCarriesRunModelAndTheFinalFederatedEvaluationPerSite() {
        JsonNode s = Reports.deploymentSummary("fed", 42, 2, result(), 12.3456);
        assertThat(s.get("run_id").asText()).isEqualTo(RUN.toString());
        assertThat(s.get("federation").asText()).isEqualTo("fed");
        assertThat(s.get("strategy").asText()).isEqualTo("fedavg");
        assertThat(s.get("seed").asLong()).isEqualTo(42);
        assertThat(s.get("rounds").asInt()).isEqualTo(2);
        assertThat(s.get("status").asText()).isEqualTo("completed 2 rounds");
        assertThat(s.get("bytes_up").asLong()).isEqualTo(210);
        assertThat(s.get("bytes_down").asLong()).isEqualTo(410);
        assertThat(s.get("wall_seconds").asDouble()).isEqualTo(12.346);
        JsonNode fin = s.get("final");
        assertThat(fin.get("model_digest").asText()).isEqualTo(DIGEST);
        assertThat(fin.get("parameters_sha256").asText()).isEqualTo(Simulation.sha256(new float[]{1f, -2f, 0.5f}));
        assertThat(fin.get("parameter_count").asInt()).isEqualTo(3);
        JsonNode ev = fin.get("coordinator_evaluation");
        assertThat(ev.get("accuracy").asDouble()).isEqualTo(0.7);              // 35 / 50, not the mean of 0.75 and 0.5
        assertThat(ev.get("loss").asDouble()).isEqualTo(0.6);                  // (40*0.5 + 10*1.0) / 50
        assertThat(ev.get("auroc").asDouble()).isEqualTo(0.8);                 // only A could compute one
        assertThat(ev.get("mean_site_accuracy").asDouble()).isEqualTo(0.625);
        assertThat(ev.get("n_test").asInt()).isEqualTo(50);
        assertThat(ev.get("per_site").get("A").get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(ev.get("per_site").get("A").get("auroc").asDouble()).isEqualTo(0.8);
        assertThat(ev.get("per_site").get("A").get("n_test").asInt()).isEqualTo(40);
        assertThat(ev.get("per_site").get("B").get("auroc").asText()).isEqualTo("n/a");
        assertThat(ev.get("failures").get(0).asText()).isEqualTo("C: timeout (no reply)");
    }

    @Test
    void failedRunHasStatusButNoModel() {
        RunResult failed = new RunResult(RUN, "fedavg", null, null, List.of(), 0, 0, "failed: only 1 of 2 sites registered");
        JsonNode s = Reports.deploymentSummary("fed", 42, 2, failed, 1);
        assertThat(s.get("status").asText()).startsWith("failed: only 1 of 2");
        assertThat(s.get("final").isEmpty()).isTrue();
    }

    @Test
    void roundsCsvCarriesTheRunsSeedAndFinalBlockListsEverySite() throws Exception {
        Reports.writeRounds(dir, 42, result().rounds());
        List<String> csv = Files.readAllLines(dir.resolve("rounds.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).contains(",acc_A,acc_B,");
        assertThat(csv.get(2)).startsWith("42,2,true,\"completed\",2,0,0,0,0.700000,0.800000,0.600000,0.625000,0.750000,0.500000,110,210,");

        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Reports.printDeploymentFinal(new PrintStream(b, true, StandardCharsets.UTF_8), "fed", 42, result(), 12.3);
        String text = b.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("fed run " + RUN + " (seed 42): completed 2 rounds in 12.3 s")
                .contains("federated evaluation over 50 test rows: accuracy 0.7000  w_auroc 0.8000  loss 0.6000  mean_site_accuracy 0.6250")
                .containsPattern("A\\s+0\\.7500\\s+0\\.8000\\s+40")
                .containsPattern("B\\s+0\\.5000\\s+n/a\\s+10")
                .contains("! evaluation: C: timeout (no reply)")
                .contains("3 parameters, parameters_sha256 " + Simulation.sha256(new float[]{1f, -2f, 0.5f}));
    }
}
