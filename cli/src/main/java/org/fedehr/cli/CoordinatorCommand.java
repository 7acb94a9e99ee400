package org.fedehr.cli;

import org.fedehr.simulations.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run the coordinator of a federation (HTTPS, TLS 1.3); sites connect to it.")
final class CoordinatorCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "coordinator YAML, e.g. configs/federations/heart-disease/coordinator.yaml")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "where summary.json, rounds.csv, model.fehp and model-spec.json go"
            + " when the run ends, and the signed audit ledger audit/coordinator.audit.jsonl (default: runs/<federation name>-<first 8 characters of the run id>)")
    Path out;

    @Option(names = "--host", paramLabel = "HOST", description = "interface to listen on (overrides server.host)")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (overrides server.port); 0 = any free port, printed at start")
    Integer port;

    @Override
    public Integer call() throws Exception {
        var result = Deployment.runCoordinator(config, new Deployment.CoordinatorOptions(out, host, port), System.out);
        return result.status().startsWith("completed") ? 0 : 1;
    }
}
