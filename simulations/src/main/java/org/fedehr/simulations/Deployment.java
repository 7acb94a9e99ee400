package org.fedehr.simulations;

import io.vertx.core.Vertx;
import org.fedehr.coordinator.CoordinatorServer;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.coordinator.ServerSettings;
import org.fedehr.protocol.tls.SelfSignedCertificate;
import org.fedehr.site.HttpCoordinatorLink;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.data.SiteDataConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator and the site node as separate processes, the way a real federation on several machines runs
 * them: the same {@link FederationRun}, {@link CoordinatorServer} and {@link SiteNode} the simulation uses.
 */
public final class Deployment {
    private Deployment() {
    }

    /**
     * Coordinator config: the {@link FederationSpec} keys plus
     * <pre>
     * server: {host: 127.0.0.1, port: 8443, certificate: coordinator.crt, key: coordinator.key, poll_timeout_ms: 20000}
     * seed: 42
     * </pre>
     * The certificate and key (relative to the config file unless absolute) are generated with Bouncy Castle on first
     * start when absent; the key is written owner-only. Sites pin the certificate.
     */
    public static RunResult runCoordinator(Path configFile, Path outDir, PrintStream out) throws Exception {
        Yaml y = Yaml.load(configFile);
        y.onlyKeys("", Set.of("name", "description", "seed", "features", "federation", "model", "training", "server"));
        y.onlyKeys("server", Set.of("host", "port", "certificate", "key", "poll_timeout_ms"));
        Path dir = configFile.toAbsolutePath().getParent();
        FederationSpec fed = FederationSpec.read(y, dir, 1);
        long seed = y.longValue("seed", 42);
        Path certFile = dir.resolve(y.string("server.certificate", "coordinator.crt"));
        Path keyFile = dir.resolve(y.string("server.key", "coordinator.key"));
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            SelfSignedCertificate.generate("fedehr-coordinator", Duration.ofDays(30)).write(certFile, keyFile);
            out.println("generated a self-signed coordinator certificate: " + certFile + " (sites must trust this file)");
        }
        String certPem = Files.readString(certFile), keyPem = Files.readString(keyFile);
        RunSettings settings = new RunSettings(UUID.randomUUID(), fed.policy(), fed.newStrategy(), fed.trainingPlan(), seed, true);
        Reports.printHeader(out);
        RunListener listener = new RunListener() {
            @Override
            public void roundCompleted(RoundRecord r) {
                Reports.printRound(out, r);
            }

            @Override
            public void event(String message) {
                if (message.startsWith("site ") || message.startsWith("run failed") || message.startsWith("statistics"))
                    out.println("  · " + message);
            }
        };
        FederationRun run = new FederationRun(settings, stats -> Simulation.initialModel(fed, stats, seed), listener, Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        try {
            CoordinatorServer server = new CoordinatorServer(vertx, run, new ServerSettings(y.string("server.host", "127.0.0.1"),
                    y.integer("server.port", 8443), certPem, keyPem, fed.maxReplyBytes(), y.longValue("server.poll_timeout_ms", 20_000)));
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            out.println("coordinator listening on https://" + y.string("server.host", "127.0.0.1") + ":" + port
                    + " (run " + settings.runId() + ", waiting for " + fed.policy().minSites() + " sites)");
            RunResult result = run.run();
            run.awaitSitesFinished(30_000);
            out.println("run " + result.status() + "; bytes up " + result.bytesUp() + ", down " + result.bytesDown());
            if (outDir != null) writeRounds(outDir, result);
            return result;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void writeRounds(Path outDir, RunResult result) throws IOException {
        SeedResult sr = new SeedResult(0, result.status(), result.rounds(), null, null, null, result.modelDigest(),
                result.finalGlobal() == null ? null : Simulation.sha256(result.finalGlobal()),
                result.finalGlobal() == null ? 0 : result.finalGlobal().length, result.bytesUp(), result.bytesDown(), 0, 0, 0);
        Reports.writeRounds(outDir, List.of(sr));
    }

    /**
     * Site config: the site data keys ({@code site}, {@code data}, {@code split}) plus, for deployments,
     * <pre>
     * features: ../../federations/heart-disease/features.yaml
     * coordinator: {url: https://127.0.0.1:8443, trust_certificate: ../../federations/heart-disease/coordinator.crt}
     * </pre>
     * Command-line values (non-null arguments) take precedence.
     */
    public static void runSite(Path configFile, Path dataRoot, URI coordinatorUrl, Path trustCert, PrintStream out) throws Exception {
        Yaml y = Yaml.load(configFile);
        Path dir = configFile.toAbsolutePath().getParent();
        SiteDataConfig cfg = SiteDataConfig.load(configFile);
        FeatureDictionary dict = FeatureDictionary.load(dir.resolve(y.requiredString("features")).normalize());
        dict.requireCompatible(cfg);
        URI url = coordinatorUrl != null ? coordinatorUrl : URI.create(y.requiredString("coordinator.url"));
        Path trust = trustCert != null ? trustCert : dir.resolve(y.requiredString("coordinator.trust_certificate"));
        if (!Files.isRegularFile(trust)) throw new ConfigException("coordinator certificate to trust not found: " + trust);
        SiteData data = SiteData.load(cfg, dataRoot, dict);
        out.println("site " + cfg.siteId() + ": " + data.train().size() + " training rows, " + data.test().size()
                + " test rows; " + data.report().rowsDropped() + " dropped");
        SiteListener log = (site, msg) -> out.println("[" + site + "] " + msg);
        try (HttpCoordinatorLink link = new HttpCoordinatorLink(url, Files.readString(trust), null, 60_000);
             SiteNode node = new SiteNode(cfg.siteId(), dict, data.train(), data.test(), link, log)) {
            node.run();
            out.println("site " + cfg.siteId() + ": finished after training " + node.roundsTrained() + " rounds");
        }
    }
}
