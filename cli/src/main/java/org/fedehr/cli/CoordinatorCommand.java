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

    @Option(names = "--out", paramLabel = "DIR", description = "write rounds.csv here when the run ends")
    Path out;

    @Override
    public Integer call() throws Exception {
        var result = Deployment.runCoordinator(config, out, System.out);
        return result.status().startsWith("completed") ? 0 : 1;
    }
}
