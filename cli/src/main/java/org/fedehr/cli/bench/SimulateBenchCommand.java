package org.fedehr.cli.bench;

import org.fedehr.coordinator.RunListener;
import org.fedehr.simulations.inprocess.ScaleBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code fedehr bench simulate}: simulator throughput and memory with many in-process sites. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs an in-process federation of N synthetic sites through the real coordinator and site-node code and "
                + "reports wall time (from JVM start), throughput and peak memory as JSON.",
                "Workload: each site holds 45-55 rows (uniform per site, seeded) of 13 standard-normal features with labels from "
                + "a fixed logistic model; it trains a logistic regression for 1 local epoch of SGD (batch 10, learning rate 0.1); "
                + "FedAvg. Sites materialise on demand and are released after each instruction; --workers threads train them, "
                + "each with one reused DL4J network.",
                "Secure aggregation is off (its key agreement is O(n^2) in the sites; in-process scenarios support it for "
                + "small federations). The sites hold no test rows: the final model is measured on 10,000 held-out rows.",
                "Set OMP_NUM_THREADS=1."})
public final class SimulateBenchCommand implements Callable<Integer> {

    @Option(names = "--sites", required = true, description = "number of simulated sites")
    int sites;

    @Option(names = "--rounds", defaultValue = "1", description = "training rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--workers", description = "worker threads training sites (default: available cores)")
    Integer workers;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the data, the model and the run (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--federated-evaluation", description = "also run the federated evaluation phase after the last round")
    boolean federatedEvaluation;

    @Option(names = "--json", description = "print only the JSON line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        ScaleBenchmark.Options o;
        try {
            o = new ScaleBenchmark.Options(sites, rounds, w, seed, federatedEvaluation);
        } catch (IllegalArgumentException e) {
            System.err.println("fedehr bench simulate: " + e.getMessage());
            return 2;
        }
        if (!json) out.printf("bench simulate: %d sites x %d round%s in process, %d worker%s, secure aggregation off "
                        + "(O(n^2) key agreement), OMP_NUM_THREADS=%s%n", sites, rounds, rounds == 1 ? "" : "s", w, w == 1 ? "" : "s",
                System.getenv("OMP_NUM_THREADS"));
        RunListener listener = json ? new RunListener() { } : new RunListener() {
            @Override
            public void roundCompleted(org.fedehr.coordinator.RoundRecord r) {
                out.printf("  round %d: %d updates, %s, %.2f s%n", r.round(), r.contributed().size(), r.status(), r.seconds());
            }
        };
        Map<String, Object> r = ScaleBenchmark.run(o, listener).report();
        if (!json) {
            out.println();
            r.forEach((k, v) -> out.printf("  %-28s %s%n", k, v));
            out.println();
        }
        out.println(SecAggBenchCommand.jsonLine(r));
        return Boolean.TRUE.equals(r.get("completed")) ? 0 : 1;
    }
}
