package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.simulations.faults.FaultPlan;
import org.fedehr.site.data.SiteData;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code fedehr simulate} does: run a scenario for one or more seeds, print the table, write the outputs. */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    public record Outcome(List<SeedResult> results, ObjectNode summary) {
    }

    /**
     * @param seeds    seeds to run (empty = the scenario's own seed)
     * @param outDir   where rounds.csv and summary.json go (null = don't write)
     * @param out      where the per-round table goes (null = silent)
     * @param siteLogs whether to print each site's own log lines
     */
    public static Outcome run(Scenario scenario, Path dataRoot, List<Long> seeds, Path outDir, PrintStream out,
                              boolean siteLogs) throws Exception {
        List<Long> todo = seeds == null || seeds.isEmpty() ? List.of(scenario.seed()) : seeds;
        // preflight: everything that can be wrong in what the user gave us fails before the first line of output
        String from = seeds == null || seeds.isEmpty() ? scenario.file() + ": seed" : "--seeds";
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long seed : todo) {
            if (seed == 0) throw new ConfigException(from + ": seed 0 is not allowed (DL4J treats seed 0 as 'no seed')");
            if (!seen.add(seed))
                throw new ConfigException(from + ": seed " + seed + " is listed twice (each seed runs once; a repeat would count twice in mean ± sd)");
        }
        Map<String, SiteData> data = Simulation.loadSites(scenario, dataRoot);
        Map<Long, FaultPlan> plans = Faults.plans(scenario, todo, data.keySet());   // preflight: names and rounds checked
        if (out != null && scenario.partition() != null) Partitions.print(out, scenario, data);
        List<SeedResult> results = new ArrayList<>();
        for (long seed : todo) {
            Scenario sc = scenario.withSeed(seed);
            if (out != null) {
                out.println("== " + sc.name() + " · strategy " + sc.federation().strategy() + " · seed " + seed + " · "
                        + data.size() + " sites · " + sc.federation().policy().rounds() + " rounds"
                        + (sc.mode() == ExecutionMode.IN_PROCESS ? " · in process" : ""));
                if (plans.containsKey(seed)) Faults.printPlan(out, plans.get(seed));
                Reports.printHeader(out);
            }
            RunListener table = new RunListener() {
                @Override
                public void roundCompleted(RoundRecord r) {
                    if (out != null) Reports.printRound(out, r);
                    if (out != null && plans.containsKey(sc.seed())) Faults.printRound(out, plans.get(sc.seed()), r.round());
                }

                @Override
                public void event(String message) {
                    if (out != null && (message.startsWith("run failed") || message.startsWith("update rejected")))
                        out.println("  · " + message);
                }
            };
            SeedResult r = new Simulation(dataRoot, table,
                    siteLogs && out != null ? (site, msg) -> out.println("  [" + site + "] " + msg) : null)
                    .auditDir(outDir == null ? null : outDir.resolve("audit").resolve("seed-" + sc.seed()))
                    .run(sc, data);
            results.add(r);
            if (out != null) Reports.printFinal(out, sc, r);
        }
        ObjectNode summary = Reports.summary(scenario, results);
        summary.put("sites", data.size());
        if (scenario.partition() != null) summary.set("partition", Partitions.json(scenario, data));
        if (!plans.isEmpty()) summary.set("faults", Faults.json(plans));
        FlambyComparison flamby = FlambyComparison.forScenario(scenario.file(), dataRoot,
                Map.of(scenario.federation().strategy(), results), List.copyOf(data.keySet()));
        if (flamby != null) summary.set("flamby_comparison", flamby.json());
        if (out != null) {
            Reports.printOverSeeds(out, summary);
            Reports.printTargets(out, Reports.targetChecks(scenario, results));
            if (flamby != null) out.println("\n" + flamby.markdown());
        }
        if (outDir != null) {
            if (flamby != null) java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(outDir).resolve("flamby_comparison.md"),
                    flamby.markdown());
            Reports.writeSummary(outDir, summary);
            Reports.writeRounds(outDir, results, plans.isEmpty() ? null : seed -> plans.get(seed).injected());
            if (scenario.partition() != null) Partitions.write(outDir, data);
            if (out != null) out.println("wrote " + outDir.resolve("summary.json") + " and " + outDir.resolve("rounds.csv"));
        }
        return new Outcome(results, summary);
    }
}
