package org.fedehr.cli;

import org.fedehr.simulations.Scenario;
import org.fedehr.simulations.ScenarioGrid;
import org.fedehr.simulations.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a scenario as a federation in one JVM (coordinator + one site node per site over loopback HTTPS).")
final class SimulateCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "scenario YAML, e.g. configs/simulations/heart-disease.yaml (default: "
                    + DefaultScenario.RELATIVE + ": 4 Synthea hospitals, generated on first use and cached)")
    Path scenario;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder for rounds.csv and summary.json (and a grid's report.html; default: runs/<scenario>)")
    Path out;

    @Option(names = "--seeds", split = ",", paramLabel = "S1,S2,...", description = "repeat the run for each seed and report mean and sd (for a grid: replaces grid.seeds)")
    List<Long> seeds;

    @Option(names = "--site-logs", description = "print each site node's own log lines")
    boolean siteLogs;

    @Option(names = "--mode", paramLabel = "network|in-process", description = "overrides the scenario's mode: (network: HTTPS on loopback; in-process: sites served by a worker pool)")
    String mode;

    @Option(names = "--workers", paramLabel = "N", description = "in-process worker threads (default: the scenario's workers:, else available cores)")
    Integer workers;

    @Override
    public Integer call() throws Exception {
        if (scenario == null) scenario = DefaultScenario.locate();
        if (org.fedehr.simulations.LongitudinalScenario.isLongitudinal(scenario)) {   // longitudinal ICU data: its own runner
            var lsc = org.fedehr.simulations.LongitudinalScenario.load(scenario);
            if (seeds != null && seeds.size() > 1)
                throw new org.fedehr.simulations.ConfigException("--seeds: a longitudinal scenario runs one seed at a time (e.g. --seeds 43)");
            if (seeds != null && !seeds.isEmpty()) lsc = lsc.withSeed(seeds.get(0));
            var r = org.fedehr.simulations.LongitudinalRunner.run(lsc, DataRoots.resolve(dataRoot),
                    out != null ? out : Path.of("runs", lsc.name()), System.out, siteLogs);
            return r.federated() != null ? 0 : 1;
        }
        if (ScenarioGrid.declaredIn(scenario)) return GridSimulation.run(scenario, DataRoots.resolve(dataRoot), seeds, out, siteLogs, mode, workers);
        if (org.fedehr.simulations.FlambyBenchmark.declaredIn(scenario)) {   // flamby.methods: FLamby's benchmark, compared with its results
            var b = org.fedehr.simulations.FlambyBenchmark.run(scenario, DataRoots.resolve(dataRoot), seeds,
                    out != null ? out : Path.of("runs", Scenario.load(scenario).name()), System.out);
            return b.runs().values().stream().allMatch(l -> !l.isEmpty() && l.stream().allMatch(r -> r.federated() != null)) ? 0 : 1;
        }
        Scenario sc = Scenario.load(scenario);
        if (mode != null || workers != null)
            sc = sc.withMode(mode == null ? sc.mode() : org.fedehr.simulations.ExecutionMode.parse(mode), workers == null ? sc.workers() : workers);
        Path outDir = out != null ? out : Path.of("runs", sc.name());
        // a scenario with a synthea: section generates (or reuses) its own data: its data root is the Synthea cache
        var synthea = org.fedehr.simulations.SyntheaScenario.read(scenario);
        Path root = synthea.isPresent()
                ? synthea.get().prepare(new org.fedehr.simulations.synthea.SyntheaCache(
                        org.fedehr.simulations.synthea.SyntheaCache.defaultRoot()), System.out)
                : DataRoots.resolve(dataRoot);
        var outcome = ScenarioRunner.run(sc, root, seeds, outDir, System.out, siteLogs);
        return outcome.results().stream().allMatch(r -> r.federated() != null) ? 0 : 1;
    }
}
