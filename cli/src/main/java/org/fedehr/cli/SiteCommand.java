package org.fedehr.cli;

import org.fedehr.simulations.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Run a hospital's site node: outbound connections only, trains on local data, sends updates.")
final class SiteCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "site YAML, e.g. configs/sites/heart-disease/cleveland.yaml")
    Path config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--coordinator", paramLabel = "URL", description = "coordinator URL (overrides coordinator.url)")
    URI coordinator;

    @Option(names = "--trust", paramLabel = "CERT", description = "coordinator certificate to trust (overrides coordinator.trust_certificate)")
    Path trust;

    @Option(names = "--check", description = "only validate the site config and data, print what was found, and exit"
            + " (no coordinator or certificate needed; nothing is sent)")
    boolean check;

    @Override
    public Integer call() throws Exception {
        Deployment.runSite(config, DataRoots.resolve(dataRoot), coordinator, trust, check, System.out);
        return 0;
    }
}
