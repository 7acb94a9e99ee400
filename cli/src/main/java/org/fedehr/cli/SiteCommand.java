package org.fedehr.cli;

import org.fedehr.protocol.pki.SiteKeyRequest;
import org.fedehr.simulations.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Run a hospital's site node: outbound connections only, trains on local data, sends updates.",
        subcommands = SiteCommand.Keygen.class)
final class SiteCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "site YAML, e.g. configs/sites/heart-disease/cleveland.yaml (required to run or check)")
    Path config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--coordinator", paramLabel = "URL", description = "coordinator URL (overrides coordinator.url)")
    URI coordinator;

    @Option(names = "--ca", paramLabel = "FILE", description = "federation CA certificate, ca.crt (overrides coordinator.ca_certificate)")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "this site's certificate (overrides coordinator.certificate)")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "this site's private key (overrides coordinator.key)")
    Path key;

    @Option(names = "--check", description = "only validate the site config and data, print what was found, and exit"
            + " (no coordinator or certificate needed; nothing is sent)")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (config == null) throw new IllegalArgumentException("--config FILE is required (or use `fedehr site keygen`)");
        Deployment.runSite(config, DataRoots.resolve(dataRoot), new Deployment.SiteOptions(coordinator, ca, cert, key, check), System.out);
        return 0;
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create this site's private key (ID.key, owner-only) and certificate signing request (ID.csr).")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--site", required = true, paramLabel = "ID", description = "the site id (as in site.id of the site config)")
        String site;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for ID.key and ID.csr, e.g. configs/sites/heart-disease/pki")
        Path out;

        @Override
        public Integer call() {
            SiteKeyRequest req = SiteKeyRequest.generate(site);
            req.write(out);
            System.out.println("wrote " + req.keyFile(out).toAbsolutePath() + " (private key, owner-only: it never leaves this machine)");
            System.out.println("wrote " + req.csrFile(out).toAbsolutePath() + " (certificate signing request)");
            System.out.println("send ONLY " + req.csrFile(out).getFileName() + " to the federation's CA operator, who runs"
                    + " `fedehr ca sign --dir CA_DIR --csr " + req.csrFile(out).getFileName() + " --site " + site + "` and returns "
                    + site + ".crt and ca.crt; put them where coordinator.certificate and coordinator.ca_certificate point");
            return 0;
        }
    }
}
