package org.fedehr.simulations;

import org.fedehr.coordinator.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment entry points ({@link Deployment#runCoordinator}, {@link Deployment#runSite}) and the simulation
 * train the same model for the same federation and seed, here on small generated files (no FEDEHR_DATA needed;
 * SeparateProcessesIT checks the same with separate JVMs on the UCI files). The deployment draws a random run id,
 * the simulation derives one from the scenario: the run id must not reach the training seeds.
 */
class DeploymentParityTest {
    @TempDir
    Path dir;

    static final String FEDERATION = """
            features: features.yaml
            federation: {rounds: 2, min_sites: 2, quorum: 2, deadline_seconds: 60, grace_seconds: 1, registration_timeout_seconds: 60}
            model: {kind: logistic}
            training: {epochs: 1, batch_size: 16, optimizer: sgd, learning_rate: 0.1}
            """;

    private void writeSite(String site, int n, Random rnd, boolean singleClass) throws Exception {
        StringBuilder sb = new StringBuilder("age,cp,y\n");
        for (int i = 0; i < n; i++) {
            double age = 50 + 10 * rnd.nextGaussian();
            int cp = 1 + rnd.nextInt(4);
            int y = singleClass ? 1 : (rnd.nextDouble() < 1 / (1 + Math.exp(-(0.1 * (age - 50) + (cp == 4 ? 1 : -1)))) ? 1 : 0);
            sb.append(String.format(Locale.ROOT, "%.1f", age)).append(',').append(cp).append(',').append(y).append('\n');
        }
        Files.writeString(dir.resolve(site + ".csv"), sb.toString());
        Files.writeString(dir.resolve(site + ".yaml"), """
                site: {id: %s}
                data:
                  file: %s.csv
                  header: true
                  columns:
                    - {name: age, header: age, type: numeric}
                    - {name: cp,  header: cp,  type: categorical}
                    - {name: y,   header: y,   type: binary}
                  label: {column: y, positive_if: "== 1"}
                split: {test_fraction: 0.25, seed: 3, stratify: false}
                features: features.yaml
                coordinator: {url: "https://127.0.0.1:1", ca_certificate: pki/ca.crt}
                """.formatted(site, site));
    }

    @Test
    void deploymentAndSimulationOfTheSameFederationGiveTheSameFinalModel() throws Exception {
        Random rnd = new Random(17);
        writeSite("north", 120, rnd, false);
        writeSite("south", 60, rnd, true);
        Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - {name: age, type: numeric}
                  - {name: cp,  type: categorical}
                min_category_count: 1
                """);
        Files.writeString(dir.resolve("scenario.yaml"), "name: parity\nseed: 9\nsites: [north.yaml, south.yaml]\n"
                + FEDERATION + "baselines: {pooled: false, local: false}\n");
        Files.writeString(dir.resolve("coordinator.yaml"), "name: parity\nseed: 9\n" + FEDERATION
                + "server: {host: 127.0.0.1, port: 1, poll_timeout_ms: 500}\n");

        TestPki.init(dir.resolve("pki"), "north", "south");
        SeedResult sim = ScenarioRunner.run(Scenario.load(dir.resolve("scenario.yaml")), dir, List.of(), null, null, false)
                .results().get(0);

        ByteArrayOutputStream coordOut = new ByteArrayOutputStream();
        PrintStream coordPrint = new PrintStream(coordOut, true, StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Path out = dir.resolve("deployed");
            Future<RunResult> coordinator = pool.submit(() -> Deployment.runCoordinator(dir.resolve("coordinator.yaml"),
                    new Deployment.CoordinatorOptions(out, null, 0), coordPrint));
            Pattern listening = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+) ");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher m;
            while (!(m = listening.matcher(coordOut.toString(StandardCharsets.UTF_8))).find()) {
                assertThat(coordinator.isDone()).as("coordinator ended early: %s", coordOut).isFalse();
                assertThat(System.nanoTime()).as("coordinator did not start").isLessThan(until);
                Thread.sleep(50);
            }
            URI url = URI.create("https://127.0.0.1:" + m.group(1));
            List<Future<?>> sites = new ArrayList<>();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            for (String s : List.of("north", "south"))
                sites.add(pool.submit(() -> {
                    Deployment.runSite(dir.resolve(s + ".yaml"), dir, new Deployment.SiteOptions(url, null, null, null, false), quiet);
                    return null;
                }));
            RunResult dep = coordinator.get(120, TimeUnit.SECONDS);
            for (Future<?> f : sites) f.get(60, TimeUnit.SECONDS);

            assertThat(dep.status()).as(coordOut.toString(StandardCharsets.UTF_8)).isEqualTo("completed 2 rounds");
            assertThat(sim.status()).isEqualTo("completed 2 rounds");
            assertThat(dep.runId()).isNotEqualTo(new java.util.UUID(9, "parity".hashCode()));
            assertThat(Simulation.sha256(dep.finalGlobal())).as("final parameters, deployment vs simulation").isEqualTo(sim.modelSha256());
            assertThat(dep.modelDigest()).isEqualTo(sim.modelDigest());
            var depEval = dep.rounds().get(1).evaluation();
            var simEval = sim.rounds().get(1).evaluation();
            assertThat(depEval.perSite()).isEqualTo(simEval.perSite());
            assertThat(Files.readString(out.resolve("summary.json"))).contains("\"parameters_sha256\" : \"" + sim.modelSha256() + "\"");
        } finally {
            pool.shutdownNow();
        }
    }
}
