package org.fedehr.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code fedehr bench secagg}: a secure-aggregation round against a plain FedAvg round, in process. */
@Command(name = "secagg", mixinStandardHelpOptions = true,
        description = {"Times secure-aggregation rounds (Bonawitz et al.) against plain FedAvg rounds over the same synthetic "
                + "updates, in process, with every message serialised in its wire format. Site work runs on min(sites, cores) "
                + "threads, coordinator work on the calling thread. Prints medians over the timed rounds as one JSON line.",
                "Set OMP_NUM_THREADS=1 with --training.",
                "With --training each site expands its mask on a second thread while it trains, as site nodes do; the overlap "
                + "only hides the mask work when cores are idle during training (in a deployment each site has its own), so on "
                + "a machine with fewer than 2 x site_threads cores ratio_with_training also counts the mask CPU. --rows sets "
                + "the training cohort (64 rows by default)."})
public final class SecAggBenchCommand implements Callable<Integer> {

    @Option(names = "--sites", required = true, description = "number of sites (>= 2)")
    int sites;

    @Option(names = "--params", required = true, description = "parameters per update")
    int params;

    @Option(names = "--dropouts", defaultValue = "0", description = "sites that drop out of each secure round (default ${DEFAULT-VALUE})")
    int dropouts;

    @Option(names = "--drop-stage", defaultValue = "after-upload",
            description = "after-upload (upload, never reveal) or before-upload (share keys, never upload); default ${DEFAULT-VALUE}")
    String dropStage;

    @Option(names = "--rounds", defaultValue = "3", description = "timed rounds; medians are reported (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed warm-up rounds (JIT, AES intrinsics; default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--training", description = "also time both rounds with one local training pass per site (MLP of ~params parameters)")
    boolean training;

    @Option(names = "--rows", defaultValue = "64",
            description = "synthetic training rows per site with --training (default ${DEFAULT-VALUE}; e.g. 1000 for a realistic site cohort)")
    int rows;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the synthetic updates (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print only the JSON line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream log = json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : out;
        SecAggBench.Options o = new SecAggBench.Options(sites, params, dropouts, SecAggBench.DropStage.parse(dropStage), rounds, warmup,
                training, seed, rows);
        Map<String, Object> r = SecAggBench.run(o, log);
        if (!json) {
            out.println();
            r.forEach((k, v) -> out.printf("  %-40s %s%n", k, v));
            out.println();
        }
        out.println(jsonLine(r));
        return Boolean.TRUE.equals(r.get("completed")) ? 0 : 1;
    }

    /** The report as one JSON line, keys in report order, nulls kept (a key is never missing). */
    static String jsonLine(Map<String, Object> report) throws Exception {
        return new ObjectMapper().writeValueAsString(report);
    }
}
