package org.fedehr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedehr.protocol.codec.ParamCodec;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.msg.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a real deployment runs: the federation's PKI made with the CLI ({@code fedehr ca init}, then per site
 * {@code fedehr site keygen} and {@code fedehr ca sign}), then the coordinator and two hospital site nodes as three
 * separate JVMs of the assembled {@code fedehr} jar, talking mutual TLS 1.3 over loopback, completing two rounds — and giving
 * bit-for-bit the final model that {@code fedehr simulate} gives for the same two sites, seed and settings
 * (run concurrently as a fourth JVM). Needs FEDEHR_DATA (the sites read the UCI files); skipped with a
 * message when it is unset.
 */
class SeparateProcessesIT {
    static final List<String> SITES = List.of("cleveland", "hungarian");
    static final String FEDERATION = """
            federation: {strategy: fedavg, server_learning_rate: 1.0, rounds: 2, min_sites: 2, quorum: 2, deadline_seconds: 120, grace_seconds: 1, registration_timeout_seconds: 120}
            model: {kind: logistic, l2: 0.0}
            training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.05}
            """;

    @TempDir
    Path tmp;

    @Test
    void separateJvmsCompleteTwoRoundsAndTrainTheSameModelAsTheSimulation() throws Exception {
        String data = System.getenv("FEDEHR_DATA");
        if (data == null || data.isBlank()) System.err.println("SKIPPED SeparateProcessesIT: FEDEHR_DATA is not set");
        assumeTrue(data != null && !data.isBlank(), "FEDEHR_DATA is not set");
        Path jar = Path.of("target", "fedehr.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path configs = Path.of("..", "configs").toAbsolutePath().normalize();
        Path features = configs.resolve("federations/heart-disease/features.yaml");
        Path coordConfig = tmp.resolve("coordinator.yaml");
        Path scenario = tmp.resolve("scenario.yaml");
        Files.writeString(scenario, "name: two-sites-simulated\nseed: 42\nfeatures: " + features + "\nsites:\n"
                + SITES.stream().map(s -> "  - " + configs.resolve("sites/heart-disease/" + s + ".yaml") + "\n").reduce("", String::concat)
                + FEDERATION + "baselines: {pooled: false, local: false}\n");
        pki(jar, SITES);
        Path clogFile = tmp.resolve("coordinator.log");
        List<Process> procs = new ArrayList<>();
        // the config names a port that is taken: only --port 0 lets the coordinator start
        try (ServerSocket taken = new ServerSocket(0)) {
            Files.writeString(coordConfig, "name: two-sites\nseed: 42\nfeatures: " + features + "\n" + FEDERATION + """
                    server: {host: 127.0.0.1, port: %d, poll_timeout_ms: 2000}
                    """.formatted(taken.getLocalPort()));
            Process sim = start(jar, tmp, tmp.resolve("simulate.log"), "simulate", scenario.toString(), "--data-root", data,
                    "--out", tmp.resolve("sim").toString());
            // no --out: the outputs go to runs/<name>-<run id prefix> under the working directory
            Process coord = start(jar, tmp, clogFile, "coordinator", "--config", coordConfig.toString(), "--port", "0");
            procs.add(coord);
            procs.add(sim);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // the last of the start-up lines: waiting for the first would race with the lines printed after it
            while (!log(clogFile).contains("results will be written to")) {
                assertThat(coord.isAlive()).as("coordinator died: %s", log(clogFile)).isTrue();
                assertThat(System.nanoTime()).as("coordinator did not start").isLessThan(until);
                Thread.sleep(200);
            }
            String started = log(clogFile);
            Matcher m = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+) \\(run ([0-9a-f-]{36}),").matcher(started);
            assertThat(m.find()).as(started).isTrue();
            int port = Integer.parseInt(m.group(1));
            String runId = m.group(2);
            assertThat(port).isNotEqualTo(taken.getLocalPort()).isPositive();
            assertThat(started).contains("mutual TLS 1.3: federation CA CN=two-sites federation CA (" + tmp.resolve("pki/ca.crt") + ")")
                    .contains("--ca " + tmp.resolve("pki/ca.crt") + " --cert SITE.crt --key SITE.key")
                    .contains("results will be written to runs/two-sites-" + runId.substring(0, 8));
            for (String site : SITES) procs.add(site(jar, data, site, "https://127.0.0.1:" + port));
            for (Process p : procs) assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("process finished in time").isTrue();
            String clog = log(clogFile);
            assertThat(coord.exitValue()).as(clog).isEqualTo(0);
            assertThat(clog).contains("run completed 2 rounds");
            for (String site : SITES) assertThat(log(tmp.resolve(site + ".log"))).contains("finished after training 2 rounds")
                    .contains("site " + site + ": certificate serial ").doesNotContain("PRIVATE KEY");
            assertThat(clog).contains("site registered: cleveland").doesNotContain("access refused");
            for (Process p : procs) assertThat(p.exitValue()).as(log(tmp.resolve("simulate.log"))).isZero();

            Path out = tmp.resolve("runs/two-sites-" + runId.substring(0, 8));
            assertThat(clog).contains("wrote summary.json, rounds.csv, model.fehp, model-spec.json to runs/two-sites-" + runId.substring(0, 8));
            List<String> rounds = Files.readAllLines(out.resolve("rounds.csv"));
            assertThat(rounds).hasSize(3);
            assertThat(rounds.get(2)).startsWith("42,2,true,\"completed\",2,");

            JsonNode dep = Json.mapper().readTree(out.resolve("summary.json").toFile());
            assertThat(dep.get("run_id").asText()).isEqualTo(runId);
            assertThat(dep.get("federation").asText()).isEqualTo("two-sites");
            assertThat(dep.get("seed").asLong()).isEqualTo(42);
            assertThat(dep.get("status").asText()).isEqualTo("completed 2 rounds");
            JsonNode depFinal = dep.get("final");
            JsonNode perSite = depFinal.get("coordinator_evaluation").get("per_site");
            assertThat(perSite.fieldNames()).toIterable().containsExactlyElementsOf(SITES);
            for (String site : SITES) {
                assertThat(perSite.get(site).get("n_test").asInt()).isPositive();
                // the final block printed the same per-site figures
                assertThat(clog).containsPattern(site + "\\s+" + Pattern.quote(String.format(java.util.Locale.ROOT, "%.4f",
                        perSite.get(site).get("accuracy").asDouble())) + "\\s+");
            }

            // the trained model can be taken away: model.fehp is the MODEL frame of the final global parameters,
            // model-spec.json the spec they are laid out for
            ParamFrame frame = ParamCodec.decode(Files.readAllBytes(out.resolve("model.fehp")));
            assertThat(frame.kind()).isEqualTo(ParamFrame.Kind.MODEL);
            assertThat(frame.runId().toString()).isEqualTo(runId);
            assertThat(frame.round()).isEqualTo(2);
            assertThat(frame.values()).hasSize(depFinal.get("parameter_count").asInt());
            assertThat(sha256(floats(frame.values()))).isEqualTo(depFinal.get("parameters_sha256").asText());
            assertThat(sha256(Files.readAllBytes(out.resolve("model-spec.json"))))
                    .isEqualTo(depFinal.get("model_digest").asText()).isEqualTo(frame.modelDigest());

            // parity: the same federation run in one JVM by `fedehr simulate` trains exactly the same model
            JsonNode simFinal = Json.mapper().readTree(tmp.resolve("sim/summary.json").toFile()).get("final");
            assertThat(depFinal.get("parameters_sha256").asText()).as("final parameters, deployment vs simulation")
                    .isEqualTo(simFinal.get("parameters_sha256").asText());
            assertThat(depFinal.get("model_digest").asText()).isEqualTo(simFinal.get("model_digest").asText());
            JsonNode depEval = depFinal.get("coordinator_evaluation"), simEval = simFinal.get("coordinator_evaluation");
            for (String k : List.of("accuracy", "auroc", "loss", "n_test"))
                assertThat(depEval.get(k)).as("coordinator_evaluation." + k).isEqualTo(simEval.get(k));

            // every process wrote a signed audit ledger of the run: each verifies against the federation CA, and every
            // site's matches the coordinator's exchange for exchange
            Path coordLedger = out.resolve("audit/coordinator.audit.jsonl");
            assertThat(clog).contains("sealed audit ledger ");
            List<String> verify = new ArrayList<>(List.of("audit", "verify", "--ca", tmp.resolve("pki/ca.crt").toString()));
            for (String site : SITES) {
                Path ledger = tmp.resolve("audit/" + site + "-" + runId.substring(0, 8) + ".audit.jsonl");
                assertThat(ledger).exists();
                assertThat(log(tmp.resolve(site + ".log"))).contains("sealed audit ledger " + ledger);
                verify.add(ledger.toString());
            }
            verify.add(coordLedger.toString());
            String verified = runOk(jar, verify.toArray(String[]::new));
            assertThat(verified).contains(coordLedger + ": ").contains("certificate issued by the CA").doesNotContain("FAILED");
            for (String site : SITES)
                assertThat(verified).contains("cross-check " + site + " <-> coordinator: OK (");
            assertThat(Files.readString(coordLedger)).doesNotContain("PRIVATE KEY");
        } finally {
            for (Process p : procs) p.destroyForcibly();
        }
    }

    /** A coordinator stopped mid-run (SIGTERM, as Ctrl-C or a service manager sends) still writes what it has. */
    @Test
    void aCoordinatorStoppedMidRunWritesTheRoundsSoFarAndItsCurrentModel() throws Exception {
        String data = System.getenv("FEDEHR_DATA");
        if (data == null || data.isBlank()) System.err.println("SKIPPED SeparateProcessesIT: FEDEHR_DATA is not set");
        assumeTrue(data != null && !data.isBlank(), "FEDEHR_DATA is not set");
        Path jar = Path.of("target", "fedehr.jar").toAbsolutePath();
        Path configs = Path.of("..", "configs").toAbsolutePath().normalize();
        Path coordConfig = tmp.resolve("coordinator.yaml");
        Files.writeString(coordConfig, "name: stopped\nseed: 42\nfeatures: " + configs.resolve("federations/heart-disease/features.yaml") + "\n"
                + "federation: {rounds: 500, min_sites: 1, quorum: 1, deadline_seconds: 60, grace_seconds: 0, registration_timeout_seconds: 60}\n"
                + "model: {kind: logistic}\ntraining: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.05}\n"
                + "server: {host: 127.0.0.1, port: 0, poll_timeout_ms: 2000}\n");
        pki(jar, List.of("cleveland"));
        Path clog = tmp.resolve("coordinator.log"), out = tmp.resolve("out");
        List<Process> procs = new ArrayList<>();
        try {
            Process coord = start(jar, tmp, clog, "coordinator", "--config", coordConfig.toString(), "--out", out.toString());
            procs.add(coord);
            java.util.regex.Pattern url = java.util.regex.Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+)");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.util.regex.Matcher m;
            while (!log(clog).contains("results will be written to") || !(m = url.matcher(log(clog))).find()) {
                assertThat(coord.isAlive()).as("coordinator died: %s", log(clog)).isTrue();
                assertThat(System.nanoTime()).as("coordinator did not start").isLessThan(until);
                Thread.sleep(200);
            }
            procs.add(site(jar, data, "cleveland", m.group(1)));
            // wait until a few rounds are done, then stop the coordinator the way Ctrl-C does
            while (!log(clog).contains("\n    3  ")) {
                assertThat(coord.isAlive()).as("coordinator died: %s", log(clog)).isTrue();
                assertThat(System.nanoTime()).as("no third round: %s", log(clog)).isLessThan(until + TimeUnit.SECONDS.toNanos(60));
                Thread.sleep(100);
            }
            coord.destroy();
            assertThat(coord.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String clogText = log(clog);
            assertThat(clogText).contains("coordinator stopped: interrupted after");
            var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertThat(summary.get("status").asText()).matches("interrupted after \\d+ of 500 rounds");
            int done = Integer.parseInt(summary.get("status").asText().split(" ")[2]);
            assertThat(done).isBetween(3, 499);
            assertThat(Files.readAllLines(out.resolve("rounds.csv"))).hasSize(done + 1);
            byte[] frame = Files.readAllBytes(out.resolve("model.fehp"));
            var model = org.fedehr.protocol.codec.ParamCodec.decode(frame);
            assertThat(sha256(floats(model.values()))).isEqualTo(summary.get("final").get("parameters_sha256").asText());
            // the stop hook sealed the coordinator's audit ledger too
            assertThat(runOk(jar, "audit", "verify", "--ca", tmp.resolve("pki/ca.crt").toString(),
                    out.resolve("audit/coordinator.audit.jsonl").toString())).contains("[coordinator, run ");
        } finally {
            for (Process p : procs) p.destroyForcibly();
        }
    }

    /**
     * The federation's PKI as an operator and the hospitals make it: {@code ca init} into tmp/pki, then per site
     * {@code site keygen} into tmp/sites (the key stays there) and {@code ca sign} of the CSR only.
     */
    private void pki(Path jar, List<String> sites) throws Exception {
        Path ca = tmp.resolve("pki"), keys = tmp.resolve("sites");
        runOk(jar, "ca", "init", "--dir", ca.toString(), "--name", "two-sites");
        for (String site : sites) {
            runOk(jar, "site", "keygen", "--site", site, "--out", keys.toString());
            runOk(jar, "ca", "sign", "--dir", ca.toString(), "--csr", keys.resolve(site + ".csr").toString(), "--site", site);
            assertThat(keys.resolve(site + ".crt")).exists();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(site + ".key"))))
                    .isEqualTo("rw-------");
        }
        for (String key : List.of("ca.key", "coordinator.key"))
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(key)))).isEqualTo("rw-------");
    }

    /** A site node with the repository's site config and the certificate, key and CA made by {@link #pki}. */
    private Process site(Path jar, String data, String site, String url) throws IOException {
        Path configs = Path.of("..", "configs").toAbsolutePath().normalize();
        return start(jar, tmp, tmp.resolve(site + ".log"), "site", "--config",
                configs.resolve("sites/heart-disease/" + site + ".yaml").toString(), "--data-root", data, "--coordinator", url,
                "--ca", tmp.resolve("pki/ca.crt").toString(), "--cert", tmp.resolve("sites/" + site + ".crt").toString(),
                "--key", tmp.resolve("sites/" + site + ".key").toString(), "--audit-dir", tmp.resolve("audit").toString());
    }

    /** Runs {@code fedehr args}, asserts exit 0, and returns its output. */
    private String runOk(Path jar, String... args) throws Exception {
        Path logFile = tmp.resolve("cli-" + System.nanoTime() + ".log");
        Process p = start(jar, tmp, logFile, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("fedehr %s finished", String.join(" ", args)).isTrue();
        assertThat(p.exitValue()).as("fedehr %s: %s", String.join(" ", args), log(logFile)).isZero();
        assertThat(log(logFile)).doesNotContain("PRIVATE KEY");
        return log(logFile);
    }

    private static Process start(Path jar, Path workDir, Path logFile, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String log(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f) : "(no log)";
    }
}
