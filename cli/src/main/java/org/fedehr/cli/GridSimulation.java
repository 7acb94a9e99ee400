package org.fedehr.cli;

import org.fedehr.simulations.ConfigException;
import org.fedehr.simulations.ExecutionMode;
import org.fedehr.simulations.GridResult;
import org.fedehr.simulations.GridRunner;
import org.fedehr.simulations.ScenarioGrid;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code fedehr simulate SCENARIO} for a scenario that declares {@code grid:} (strategies × settings × seeds). */
final class GridSimulation {
    private GridSimulation() {
    }

    /** @return 0 when every run produced a final model, else 1 */
    static int run(Path scenario, Path dataRoot, List<Long> seeds, Path out, boolean siteLogs, String mode, Integer workers)
            throws Exception {
        ScenarioGrid grid = ScenarioGrid.load(scenario);
        if (mode != null || workers != null) grid = grid.withMode(mode == null ? null : ExecutionMode.parse(mode), workers);
        if (seeds != null && !seeds.isEmpty()) {
            Set<Long> seen = new HashSet<>();
            for (long s : seeds) {
                if (s == 0) throw new ConfigException("--seeds: seed 0 is not allowed (DL4J treats seed 0 as 'no seed')");
                if (!seen.add(s)) throw new ConfigException("--seeds: seed " + s + " is listed twice (each seed runs once; a repeat would count twice in mean ± sd)");
            }
            grid = grid.withSeeds(seeds);
        }
        Path outDir = out != null ? out : Path.of("runs", grid.name());
        GridResult r = GridRunner.run(grid, dataRoot, outDir, System.out, siteLogs, Clock.systemUTC());
        boolean allOk = r.configurations().stream().allMatch(c -> c.runs().stream()
                .allMatch(x -> x.result() != null && x.result().federated() != null));
        return allOk ? 0 : 1;
    }
}
