package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.simulations.faults.FaultPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Fault injection through a whole federation (real coordinator, real site nodes over loopback mutual TLS, generated
 * files): cases C01, C02, C11 and C12 as the scenario's faults produce them, and the round records saying what was
 * injected. Timings: deadlines are long, so a round without a fault closes as soon as every site replied and a faulty
 * one at quorum + grace; the grace (1–2 s) leaves the healthy sites seconds of margin on a loaded machine, and a
 * straggler is held back far longer than the grace.
 */
@Timeout(240)
class FaultInjectionSimulationTest {
    @TempDir
    static Path dir;

    /** Training rows per site (each site also has 20 test rows). */
    static final Map<String, Integer> TRAIN = Map.of("A", 100, "B", 50, "C", 60, "D", 40);

    @BeforeAll
    static void writeSites() throws IOException {
        Random rnd = new Random(3);
        StringBuilder split = new StringBuilder("site,line,set\n");
        for (String s : List.of("A", "B", "C", "D")) {
            int n = TRAIN.get(s) + 20;
            StringBuilder sb = new StringBuilder("age,sex,y\n");
            for (int i = 0; i < n; i++) {
                double age = 50 + 10 * rnd.nextGaussian();
                int sex = rnd.nextInt(2);
                int y = rnd.nextDouble() < 1 / (1 + Math.exp(-(0.1 * (age - 50) + sex - 0.5))) ? 1 : 0;
                sb.append(String.format(Locale.ROOT, "%.1f", age)).append(',').append(sex).append(',').append(y).append('\n');
                split.append(s).append(',').append(i + 2).append(',').append(i < TRAIN.get(s) ? "train" : "test").append('\n');
            }
            Files.writeString(dir.resolve(s + ".csv"), sb.toString());
            Files.writeString(dir.resolve(s + ".yaml"), """
                    site: {id: %s}
                    data:
                      file: %s.csv
                      header: true
                      columns:
                        - {name: age, header: age, type: numeric}
                        - {name: sex, header: sex, type: binary}
                        - {name: y,   header: y,   type: binary}
                      label: {column: y, positive_if: "== 1"}
                    split: {file: split.csv, site_column: site, site_value: %s, line_column: line, set_column: set}
                    """.formatted(s, s, s));
        }
        Files.writeString(dir.resolve("split.csv"), split.toString());
        Files.writeString(dir.resolve("features.yaml"), """
                features:
                  - {name: age, type: numeric}
                  - {name: sex, type: binary}
                min_category_count: 1
                """);
    }

    static Scenario scenario(String name, String sites, String federation, String faults) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                seed: 5
                features: features.yaml
                sites: %s
                federation: %s
                secure_aggregation: false
                model: {kind: logistic}
                training: {epochs: 1, batch_size: 10, optimizer: sgd, learning_rate: 0.1}
                baselines: {pooled: false, local: false}
                faults:
                %s
                """.formatted(name, sites, federation, faults.indent(2)));
        return Scenario.load(f);
    }

    static List<String> failed(RoundRecord r) {
        return r.failures().stream().map(SiteFailure::siteId).toList();
    }

    @Test
    void c01CrashedSiteIsAFailureTheOthersAggregateWithTheirWeightsAndItRejoins_c02AllSitesThrow() throws Exception {
        Scenario sc = scenario("c01", "[A.yaml, B.yaml, C.yaml]",
                "{rounds: 3, quorum: 2, deadline_seconds: 60, grace_seconds: 2}", """
                        crash: [{site: C, at_round: 1, rejoin_round: 2}]
                        errors: [{site: A, rounds: [3]}, {site: B, rounds: [3]}, {site: C, rounds: [3]}]
                        """);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ScenarioRunner.Outcome o = ScenarioRunner.run(sc, dir, List.of(), dir.resolve("out-c01"),
                new PrintStream(printed, true, StandardCharsets.UTF_8), false);
        List<RoundRecord> rounds = o.results().get(0).rounds();
        // round 1 (C01): C's connection is cut after it downloaded the model; A and B aggregate with weights 2/3, 1/3
        RoundRecord r1 = rounds.get(0);
        assertThat(r1.selected()).containsExactly("A", "B", "C");
        assertThat(r1.updated()).isTrue();
        assertThat(r1.contributed()).containsOnlyKeys("A", "B");
        double total = r1.contributed().get("A") + r1.contributed().get("B");
        assertThat(r1.contributed().get("A") / total).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r1.contributed().get("B") / total).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r1.failures()).containsExactly(new SiteFailure("C", "timeout", "no reply to TRAIN round 1 before the round closed"));
        assertThat(r1.status()).isEqualTo("completed with 1 failure (C: timeout (no reply to TRAIN round 1 before the round closed))");
        // round 2: C rejoined (registered again) and contributes
        assertThat(rounds.get(1).contributed()).containsOnlyKeys("A", "B", "C");
        assertThat(rounds.get(1).failures()).isEmpty();
        // round 3 (C02b): every trainer throws: 0 successful updates, round failed, all three still listed as selected
        RoundRecord r3 = rounds.get(2);
        assertThat(r3.updated()).isFalse();
        assertThat(r3.selected()).containsExactly("A", "B", "C");
        assertThat(r3.status()).startsWith("failed: 0 successful updates, quorum is 2; global model unchanged; 3 failures");
        assertThat(r3.failures()).allSatisfy(f -> {
            assertThat(f.reason()).isEqualTo("site error");
            assertThat(f.detail()).isEqualTo(FaultPlan.InjectedTrainerFailure.class.getName() + ": injected trainer failure in round 3");
        });
        // the records say what was injected
        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("⚡ injected: C: crash (connection cut after the model download; down until round 2)")
                .contains("⚡ injected: C: rejoins (registers again)").contains("⚡ injected: B: trainer throws (injected)");
        List<String> csv = Files.readAllLines(dir.resolve("out-c01/rounds.csv"));
        assertThat(csv.get(0)).endsWith(",faults_injected");
        assertThat(csv.get(1)).endsWith(",\"C: crash (connection cut after the model download; down until round 2)\"");
        assertThat(o.summary().get("faults").get("seed 5").get("per_round").get("2").get(0).asText()).isEqualTo("C: rejoins (registers again)");
    }

    @Test
    void c01BelowQuorumTheRoundFailsWithAReasonAndTheNextStartsOnTime() throws Exception {
        Scenario sc = scenario("c01q", "[A.yaml, B.yaml, C.yaml]",
                "{rounds: 2, quorum: 3, deadline_seconds: 8, grace_seconds: 1}", """
                        crash: [{site: C, at_round: 1, rejoin_round: 2}]
                        """);
        long t0 = System.nanoTime();
        List<RoundRecord> rounds = ScenarioRunner.run(sc, dir, List.of(), null, null, false).results().get(0).rounds();
        assertThat(rounds.get(0).updated()).isFalse();
        assertThat(rounds.get(0).status()).isEqualTo("failed: 2 successful updates, quorum is 3; global model unchanged;"
                + " 1 failure (C: timeout (no reply to TRAIN round 1 before the round closed))");
        assertThat(rounds.get(1).updated()).isTrue();
        assertThat(rounds.get(1).contributed()).containsOnlyKeys("A", "B", "C");
        // below quorum the round waits for its deadline (8 s), never longer: no silent stall
        assertThat(rounds.get(0).seconds()).isLessThan(40);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(120);
    }

    @Test
    void crashPartitionTrainerErrorAndDuplicateTimeline() throws Exception {
        Scenario sc = scenario("timeline", "[A.yaml, B.yaml, C.yaml, D.yaml]",
                "{rounds: 6, quorum: 2, deadline_seconds: 60, grace_seconds: 2}", """
                        crash: [{site: C, at_round: 2, rejoin_round: 4}]
                        partition: [{site: D, from_round: 3, rounds: 2}]
                        errors: [{site: B, rounds: [5]}]
                        duplicates: [{site: A, rounds: [1]}]
                        """);
        List<RoundRecord> rounds = ScenarioRunner.run(sc, dir, List.of(), null, null, false).results().get(0).rounds();
        List<List<String>> contributed = rounds.stream().map(r -> List.copyOf(r.contributed().keySet())).toList();
        List<List<String>> failures = rounds.stream().map(FaultInjectionSimulationTest::failed).toList();
        assertThat(contributed).containsExactly(List.of("A", "B", "C", "D"), List.of("A", "B", "D"), List.of("A", "B"),
                List.of("A", "B", "C"), List.of("A", "C", "D"), List.of("A", "B", "C", "D"));
        assertThat(failures).containsExactly(List.of(), List.of("C"), List.of("C", "D"), List.of("D"), List.of("B"), List.of());
        // C12: A's second copy of its round-1 reply is ignored, A counts once with its 100 rows
        assertThat(rounds.get(0).contributed().get("A")).isEqualTo(100.0);
        assertThat(rounds.get(4).failures().get(0).reason()).isEqualTo("site error");
        assertThat(rounds).allMatch(RoundRecord::updated);
    }

    @Test
    void c11StragglerPastTheCloseIsRecordedLateAndNeverCounted() throws Exception {
        Scenario sc = scenario("straggler", "[A.yaml, B.yaml, C.yaml]",
                "{rounds: 6, quorum: 2, deadline_seconds: 60, grace_seconds: 1}", """
                        stragglers: {distribution: fixed, mean_seconds: 5, sites: [C], rounds: [1]}
                        """);
        List<RoundRecord> rounds = ScenarioRunner.run(sc, dir, List.of(), null, null, false).results().get(0).rounds();
        assertThat(rounds.get(0).contributed()).containsOnlyKeys("A", "B");
        assertThat(rounds.get(0).failures()).containsExactly(new SiteFailure("C", "timeout", "no reply to TRAIN round 1 before the round closed"));
        List<String> late = new ArrayList<>();
        rounds.forEach(r -> late.addAll(r.lateReplies()));
        assertThat(late).anyMatch(l -> l.startsWith("C: TRAIN round 1 arrived during "));
        assertThat(rounds.get(5).contributed()).as("C is back once its reply has gone").containsOnlyKeys("A", "B", "C");
    }

    @Test
    void dropoutCutsExactlyThePlannedSitesInEachRound() throws Exception {
        Scenario sc = scenario("dropout", "[A.yaml, B.yaml, C.yaml, D.yaml]",
                "{rounds: 3, quorum: 1, deadline_seconds: 60, grace_seconds: 2}", """
                        seed: 8
                        dropout: {probability: 0.4}
                        """);
        FaultPlan plan = new FaultPlan(sc.faults(), sc.seed(), List.of("A", "B", "C", "D"), 3);
        List<RoundRecord> rounds = ScenarioRunner.run(sc, dir, List.of(), null, null, false).results().get(0).rounds();
        int dropped = 0;
        for (RoundRecord r : rounds) {
            assertThat(failed(r)).as("round " + r.round()).containsExactlyElementsOf(plan.droppedOut(r.round()));
            dropped += plan.droppedOut(r.round()).size();
        }
        assertThat(dropped).as("the seed drops some sites, not all").isBetween(1, 11);
    }
}
