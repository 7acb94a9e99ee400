package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.site.data.SiteData;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FLamby's benchmark on our platform: a scenario whose {@code flamby:} block lists {@code methods} runs each of them
 * (a strategy with its own parameters and local training, given as overrides of the scenario's keys) for every seed,
 * trains the pooled and local-only baselines once per seed (with the first method's run), and compares everything with
 * FLamby's published results ({@link FlambyComparison}).
 *
 * <pre>
 * flamby:
 *   dataset: fed_tcga_brca
 *   methods:                      # method = strategy name; its keys override the scenario's
 *     fedavg: {}
 *     fedadam: {federation: {strategy_params: {eta: 0.1, beta2: 0.999, tau: 1.0e-8}}, training: {learning_rate: 0.01}}
 * </pre>
 *
 * Writes {@code summary.json} (each method's summary as a single scenario writes it, under {@code methods}, and
 * {@code flamby_comparison}), {@code flamby_comparison.md}, and each method's {@code rounds.csv} under
 * {@code methods/<method>/}.
 */
public final class FlambyBenchmark {
    private FlambyBenchmark() {
    }

    /** Whether the scenario file lists FLamby methods to run (then {@code fedehr simulate} runs this benchmark). */
    public static boolean declaredIn(Path scenarioFile) {
        if (!Files.isRegularFile(scenarioFile)) return false;
        Yaml y = Yaml.load(scenarioFile);
        return y.has("flamby.methods");
    }

    public record Outcome(Map<String, List<SeedResult>> runs, FlambyComparison comparison, ObjectNode summary) {
    }

    /**
     * @param seeds  seeds (empty = the scenario's own seed)
     * @param outDir where the outputs go (null = nowhere)
     * @param out    progress and the comparison (null = silent)
     */
    public static Outcome run(Path scenarioFile, Path dataRoot, List<Long> seeds, Path outDir, PrintStream out) throws Exception {
        Yaml y = Yaml.load(scenarioFile);
        Scenario base = Scenario.from(y, scenarioFile);
        FlambyComparison.Spec spec = FlambyComparison.readSpec(y);
        if (spec == null || spec.methods().isEmpty()) throw y.error("flamby.methods", "missing: no methods to run");
        List<Long> todo = seeds == null || seeds.isEmpty() ? List.of(base.seed()) : List.copyOf(seeds);
        Map<String, Scenario> methods = new LinkedHashMap<>();
        for (var m : spec.methods().entrySet()) {   // every method is built (validated) before anything runs
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("federation.strategy", m.getKey());
            set.putAll(m.getValue());
            try {
                methods.put(m.getKey(), Scenario.from(y.withValues(set), scenarioFile));
            } catch (ConfigException e) {
                throw y.error("flamby.methods." + m.getKey(), e.getMessage(), e);
            }
        }
        Map<String, SiteData> data = Simulation.loadSites(base, dataRoot);
        Map<String, List<SeedResult>> runs = new LinkedHashMap<>();
        Map<String, List<String>> failures = new LinkedHashMap<>();
        boolean first = true;
        int total = methods.size() * todo.size(), k = 0;
        for (var m : methods.entrySet()) {
            List<SeedResult> results = new ArrayList<>();
            for (long seed : todo) {
                k++;
                Scenario sc = m.getValue().withSeed(seed);
                if (!first) sc = sc.withoutBaselines();   // baselines do not depend on the strategy: once per seed
                if (out != null) {
                    out.printf(Locale.ROOT, "%n== [%d/%d] %s · %s · seed %d · %d rounds · local %s%n", k, total, base.name(), m.getKey(),
                            seed, sc.federation().policy().rounds(), sc.federation().training());
                    Reports.printHeader(out);
                }
                try {
                    SeedResult r = new Simulation(dataRoot, table(out), null)
                            .auditDir(outDir == null ? null : outDir.resolve("audit").resolve(m.getKey() + "-seed-" + seed))
                            .run(sc, data);
                    if (out != null) Reports.printFinal(out, sc, r);
                    if (r.federated() != null && r.rounds().stream().anyMatch(RoundRecord::updated)) results.add(r);
                    else {   // the initial model is not this method's result
                        String why = m.getKey() + " seed " + seed + ": no round aggregated (" + r.status() + ")";
                        failures.computeIfAbsent(m.getKey(), x -> new ArrayList<>()).add(why);
                        if (out != null) out.println("  ! not counted: " + why);
                    }
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    String why = m.getKey() + " seed " + seed + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    failures.computeIfAbsent(m.getKey(), x -> new ArrayList<>()).add(why);
                    if (out != null) out.println("  ! run failed: " + why);
                }
            }
            runs.put(m.getKey(), results);
            if (first && results.stream().anyMatch(r -> r.pooledBaseline() != null)) first = false;
        }

        FlambyComparison cmp = FlambyComparison.forScenario(scenarioFile, dataRoot, runs, List.copyOf(data.keySet()));
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("scenario", base.name());
        summary.putArray("seeds").addAll(todo.stream().map(JsonNodeFactory.instance::numberNode).toList());
        ObjectNode ms = summary.putObject("methods");
        for (var m : methods.entrySet()) {
            List<SeedResult> rs = runs.get(m.getKey());
            ObjectNode o = rs.isEmpty() ? ms.putObject(m.getKey()) : (ObjectNode) ms.set(m.getKey(), Reports.summary(m.getValue(), rs)).get(m.getKey());
            o.put("strategy_params", String.valueOf(m.getValue().federation().strategyParams()));
            o.put("local_training", String.valueOf(m.getValue().federation().training()));
            if (failures.containsKey(m.getKey())) o.putArray("failed_runs").addAll(failures.get(m.getKey()).stream()
                    .map(JsonNodeFactory.instance::textNode).toList());
        }
        summary.set("flamby_comparison", cmp.json());
        if (out != null) {
            out.println();
            out.println(cmp.markdown());
            failures.values().forEach(l -> l.forEach(f -> out.println("  ! failed: " + f)));
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("flamby_comparison.md"), cmp.markdown());
            Reports.writeSummary(outDir, summary);
            for (var e : runs.entrySet()) if (!e.getValue().isEmpty()) Reports.writeRounds(outDir.resolve("methods").resolve(e.getKey()), e.getValue());
            if (out != null) out.println("wrote " + outDir.resolve("summary.json") + ", " + outDir.resolve("flamby_comparison.md")
                    + " and methods/<method>/rounds.csv");
        }
        return new Outcome(runs, cmp, summary);
    }

    private static RunListener table(PrintStream out) {
        return new RunListener() {
            @Override
            public void roundCompleted(RoundRecord r) {
                if (out != null) Reports.printRound(out, r);
            }
        };
    }
}
