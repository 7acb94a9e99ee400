package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.simulations.faults.FaultPlan;
import org.fedehr.site.data.SiteData;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code fedehr simulate} does with a scenario that declares a grid: runs every configuration for every seed
 * (printing progress), trains the pooled and local-only baselines once per seed rather than once per strategy, and
 * writes rounds.csv, summary.json and report.html with its plots.
 */
public final class GridRunner {
    private GridRunner() {
    }

    /**
     * @param outDir   where rounds.csv, summary.json, report.html, the plots and the audit ledgers go (null = nowhere)
     * @param out      progress and tables (null = silent)
     * @param siteLogs whether to print each site's own log lines
     */
    public static GridResult run(ScenarioGrid grid, Path dataRoot, Path outDir, PrintStream out, boolean siteLogs,
                                 Clock clock) throws Exception {
        long t0 = System.nanoTime();
        Instant started = clock.instant();
        // preflight: every configuration's sites are read and checked before the first run
        Map<String, Map<String, SiteData>> dataBySites = new LinkedHashMap<>();
        Map<String, Map<String, SiteData>> data = new LinkedHashMap<>();
        Map<String, Map<Long, FaultPlan>> plans = new LinkedHashMap<>();
        for (GridConfiguration c : grid.configurations()) {
            data.put(c.id(), dataBySites.computeIfAbsent(dataKey(c.scenario()), k -> Simulation.loadSites(c.scenario(), dataRoot)));
            // names and rounds of injected faults checked before anything runs
            plans.put(c.id(), Faults.plans(c.scenario(), grid.seeds(), data.get(c.id()).keySet()));
        }

        int total = grid.runs(), k = 0;
        if (out != null)
            out.printf(Locale.ROOT, "== grid %s: %d configurations × %d seeds = %d runs%n", grid.name(),
                    grid.configurations().size(), grid.seeds().size(), total);
        Map<String, BaselineSlot> baselines = new LinkedHashMap<>();   // baseline key + seed → the first run that trained them
        Map<String, List<PendingRun>> pending = new LinkedHashMap<>();
        for (GridConfiguration c : grid.configurations()) {
            List<PendingRun> runs = new ArrayList<>();
            for (long seed : grid.seeds()) {
                k++;
                String bkey = baselineKey(c, seed);
                BaselineSlot slot = baselines.get(bkey);
                Scenario sc = c.scenario().withSeed(seed);
                boolean trainsBaselines = slot == null;
                if (!trainsBaselines) sc = sc.withoutBaselines();
                FaultPlan plan = plans.get(c.id()).get(seed);
                if (out != null) {
                    out.printf(Locale.ROOT, "%n== [%d/%d] %s %s · seed %d · %d sites · %d rounds%s%n", k, total, c.id(), c.label(),
                            seed, data.get(c.id()).size(), sc.federation().policy().rounds(),
                            trainsBaselines ? "" : " · baselines of seed " + seed + " already trained (" + slot.id + ")");
                    if (plan != null) Faults.printPlan(out, plan);
                    Reports.printHeader(out);
                }
                SeedResult r = null;
                String error = null;
                try {
                    r = new Simulation(dataRoot, table(out, plan), siteLogs && out != null ? (site, msg) -> out.println("  [" + site + "] " + msg) : null)
                            .auditDir(outDir == null ? null : outDir.resolve("audit").resolve(c.id() + "-seed-" + seed))
                            .run(sc, data.get(c.id()));
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    if (out != null) out.println("  ! run failed: " + error);
                }
                if (r != null && out != null) Reports.printFinal(out, sc, r);
                if (r != null && trainsBaselines && r.federated() != null) {   // a failed run stops before its baselines
                    slot = new BaselineSlot("b" + (baselines.size() + 1), seed, r.pooledBaseline(), r.localBaselines());
                    baselines.put(bkey, slot);
                }
                runs.add(new PendingRun(seed, r, error, bkey));
            }
            pending.put(c.id(), runs);
        }

        List<GridResult.ConfigurationRuns> configs = new ArrayList<>();
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (GridConfiguration c : grid.configurations()) {
            List<GridResult.SeedRun> runs = new ArrayList<>();
            for (PendingRun p : pending.get(c.id())) {
                BaselineSlot slot = baselines.get(p.baselineKey);
                if (slot != null && !users.computeIfAbsent(slot.id, x -> new ArrayList<>()).contains(c.id()))
                    users.get(slot.id).add(c.id());
                runs.add(new GridResult.SeedRun(p.seed, p.result, p.error, slot == null ? null : slot.id));
            }
            configs.add(new GridResult.ConfigurationRuns(c, runs));
        }
        List<GridResult.Baselines> bl = new ArrayList<>();
        for (BaselineSlot s : baselines.values())
            bl.add(new GridResult.Baselines(s.id, s.seed, users.getOrDefault(s.id, List.of()), s.pooled,
                    s.local == null ? new TreeMap<>() : s.local));
        FlambyComparison flamby = flamby(grid, dataRoot, configs, data);
        GridResult result = new GridResult(grid, configs, bl, started, (System.nanoTime() - t0) / 1e9, plans, flamby);

        if (out != null) {
            GridSummary.printTable(out, result);
            if (flamby != null) out.println("\n" + flamby.markdown());
        }
        if (outDir != null) {
            if (flamby != null) java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(outDir).resolve("flamby_comparison.md"),
                    flamby.markdown());
            GridSummary.writeSummary(outDir, result);
            GridSummary.writeRounds(outDir, result);
            Path html = new GridReport(result).write(outDir);
            if (out != null)
                out.println("wrote " + outDir.resolve("summary.json") + ", " + outDir.resolve("rounds.csv") + " and " + html);
        }
        if (out != null) out.printf(Locale.ROOT, "grid wall time %.1f s%n", result.wallSeconds());
        return result;
    }

    private record PendingRun(long seed, SeedResult result, String error, String baselineKey) {
    }

    private record BaselineSlot(String id, long seed, ModelMetrics pooled, java.util.SortedMap<String, ModelMetrics> local) {
    }

    /**
     * The FLamby comparison of a scenario with {@code flamby:}: each configuration under its strategy's name when the
     * grid varies only the strategy (so FLamby's methods are matched), else under its label. The first configuration's
     * runs carry the baselines.
     */
    private static FlambyComparison flamby(ScenarioGrid grid, Path dataRoot, List<GridResult.ConfigurationRuns> configs,
                                           Map<String, Map<String, SiteData>> data) {
        Map<String, List<SeedResult>> runs = new LinkedHashMap<>();
        boolean byName = configs.stream().map(c -> c.configuration().strategy()).distinct().count() == configs.size();
        for (GridResult.ConfigurationRuns c : configs)
            runs.put(byName ? c.configuration().strategy() : c.configuration().label(), c.results());
        return FlambyComparison.forScenario(grid.file(), dataRoot, runs, List.copyOf(data.get(configs.get(0).configuration().id()).keySet()));
    }

    private static RunListener table(PrintStream out, FaultPlan plan) {
        return new RunListener() {
            @Override
            public void roundCompleted(RoundRecord r) {
                if (out != null) Reports.printRound(out, r);
                if (out != null && plan != null) Faults.printRound(out, plan, r.round());
            }

            @Override
            public void event(String message) {
                if (out != null && (message.startsWith("run failed") || message.startsWith("update rejected")))
                    out.println("  · " + message);
            }
        };
    }

    /** Configurations whose sites are the same files read under the same dictionary share the data read in preflight. */
    private static String dataKey(Scenario sc) {
        return sc.siteFiles() + "|" + sc.federation().featuresFile() + "|" + sc.partition();
    }

    /**
     * What the baselines of a seed depend on: the data (sites, dictionary, site policy), the model, the baseline
     * training settings and the seed — and, to be safe, every setting of the configuration that is not known to
     * concern only the federation (strategy, rounds, quorum, secure aggregation, injected faults, execution mode,
     * targets) or the sites' local training (which reaches the baselines only through their own training settings,
     * part of the key). A partition is part of the data.
     */
    static String baselineKey(GridConfiguration c, long seed) {
        Scenario sc = c.scenario();
        StringBuilder sb = new StringBuilder().append(seed).append('|').append(dataKey(sc)).append('|').append(sc.sitePolicy())
                .append('|').append(new TreeMap<>(sc.federation().model())).append('|').append(sc.baselineTraining())
                .append('|').append(sc.pooledBaseline()).append(sc.localBaseline());
        c.settings().forEach((key, value) -> {
            if (!(key.startsWith("federation.") || key.startsWith("secure_aggregation") || key.startsWith("targets.")
                    || key.startsWith("training.") || key.startsWith("model.") || key.startsWith("baselines.")
                    || key.startsWith("faults.") || key.equals("mode") || key.equals("workers")))
                sb.append('|').append(key).append('=').append(value);
        });
        return sb.toString();
    }
}
