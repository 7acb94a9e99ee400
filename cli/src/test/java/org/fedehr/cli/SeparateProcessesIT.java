package org.fedehr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a real deployment runs: the coordinator and two hospital site nodes as three separate JVMs of the
 * assembled {@code fedehr} jar, talking HTTPS (TLS 1.3) over loopback, completing two rounds.
 * Needs FEDEHR_DATA (the sites read the UCI files); skipped with a message when it is unset.
 */
class SeparateProcessesIT {
    @TempDir
    Path tmp;

    @Test
    void coordinatorAndTwoSitesAsSeparateJvmsCompleteTwoRounds() throws Exception {
        String data = System.getenv("FEDEHR_DATA");
        if (data == null || data.isBlank()) System.err.println("SKIPPED SeparateProcessesIT: FEDEHR_DATA is not set");
        assumeTrue(data != null && !data.isBlank(), "FEDEHR_DATA is not set");
        Path jar = Path.of("target", "fedehr.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path configs = Path.of("..", "configs").toAbsolutePath().normalize();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path coordConfig = tmp.resolve("coordinator.yaml");
        Files.writeString(coordConfig, """
                name: two-sites
                seed: 42
                features: %s
                federation: {rounds: 2, min_sites: 2, quorum: 2, deadline_seconds: 120, grace_seconds: 1, registration_timeout_seconds: 120}
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 8, optimizer: sgd, learning_rate: 0.05}
                server: {host: 127.0.0.1, port: %d, certificate: coordinator.crt, key: coordinator.key, poll_timeout_ms: 2000}
                """.formatted(configs.resolve("federations/heart-disease/features.yaml"), port));
        Path cert = tmp.resolve("coordinator.crt");
        List<Process> procs = new ArrayList<>();
        try {
            Process coord = start(jar, tmp.resolve("coordinator.log"), "coordinator", "--config", coordConfig.toString(),
                    "--out", tmp.resolve("out").toString());
            procs.add(coord);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(tmp.resolve("coordinator.log")).contains("listening on")) {
                assertThat(coord.isAlive()).as("coordinator died: %s", log(tmp.resolve("coordinator.log"))).isTrue();
                assertThat(System.nanoTime()).as("coordinator did not start").isLessThan(until);
                Thread.sleep(200);
            }
            // the key file is owner-only
            assertThat(Files.getPosixFilePermissions(tmp.resolve("coordinator.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
            for (String site : List.of("cleveland", "hungarian")) {
                procs.add(start(jar, tmp.resolve(site + ".log"), "site", "--config",
                        configs.resolve("sites/heart-disease/" + site + ".yaml").toString(), "--data-root", data,
                        "--coordinator", "https://127.0.0.1:" + port, "--trust", cert.toString()));
            }
            for (Process p : procs) assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("process finished in time").isTrue();
            String clog = log(tmp.resolve("coordinator.log"));
            assertThat(procs.get(0).exitValue()).as(clog).isEqualTo(0);
            assertThat(clog).contains("run completed 2 rounds");
            for (String site : List.of("cleveland", "hungarian")) {
                String slog = log(tmp.resolve(site + ".log"));
                assertThat(slog).contains("finished after training 2 rounds");
            }
            assertThat(procs.get(1).exitValue()).isZero();
            assertThat(procs.get(2).exitValue()).isZero();
            List<String> rounds = Files.readAllLines(tmp.resolve("out/rounds.csv"));
            assertThat(rounds).hasSize(3);
            assertThat(rounds.get(2)).contains(",true,").contains("\"completed\"");
        } finally {
            for (Process p : procs) p.destroyForcibly();
        }
    }

    private static Process start(Path jar, Path logFile, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static String log(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f) : "(no log)";
    }
}
