package org.fedehr.simulations;

import io.vertx.core.Vertx;
import org.fedehr.coordinator.CoordinatorServer;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.InitialModel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The coordinator and the site node as separate processes, the way a real federation on several machines runs
 * them: the same {@link FederationRun}, {@link CoordinatorServer} and {@link SiteNode} the simulation uses.
 */
public final class Deployment {
    private Deployment() {
    }

    /**
     * Command-line overrides of a coordinator run.
     *
     * @param outDir where the run's outputs go (null = {@code runs/<federation name>-<first 8 hex of the run id>})
     * @param host   interface to bind, overriding {@code server.host} (null = from the config)
     * @param port   port to bind, overriding {@code server.port}; 0 = any free port (null = from the config)
     */
    public record CoordinatorOptions(Path outDir, String host, Integer port) {
        public static final CoordinatorOptions DEFAULTS = new CoordinatorOptions(null, null, null);

        public CoordinatorOptions {
            if (host != null && host.isBlank()) throw new IllegalArgumentException("--host must not be blank");
            if (port != null && (port < 0 || port > 65535))
                throw new IllegalArgumentException("--port must be in [0, 65535] (0 = any free port), was " + port);
        }
    }

    /** A coordinator config file, read and checked before anything is started or written. */
    record CoordinatorConfig(Path file, String name, long seed, FederationSpec federation, String host, int port,
                             Path certificate, Path key, long pollTimeoutMs, List<String> subjectAltNames) {
        static CoordinatorConfig read(Path configFile) {
            if (!Files.isRegularFile(configFile)) throw new ConfigException("coordinator config not found: " + configFile);
            Yaml y = Yaml.load(configFile);
            y.onlyKeys("", Set.of("name", "description", "seed", "features", "federation", "model", "training", "server",
                    "secure_aggregation"));
            y.onlyKeys("server", Set.of("host", "port", "certificate", "key", "poll_timeout_ms", "subject_alt_names"));
            Path dir = configFile.toAbsolutePath().getParent();
            FederationSpec fed = FederationSpec.read(y, dir, 1);
            long seed = y.longValue("seed", 42);
            if (seed == 0) throw y.error("seed", "0 is not allowed (DL4J treats seed 0 as 'no seed'); pick another value");
            int port = y.integer("server.port", 8443);
            if (port < 0 || port > 65535) throw y.error("server.port", "must be in [0, 65535] (0 = any free port), was " + port);
            long poll = y.longValue("server.poll_timeout_ms", 20_000);
            if (poll < 100) throw y.error("server.poll_timeout_ms", "must be >= 100, was " + poll);
            String name = y.string("name", configFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
            return new CoordinatorConfig(configFile, name, seed, fed, y.string("server.host", "127.0.0.1"), port,
                    dir.resolve(y.string("server.certificate", "coordinator.crt")).normalize(),
                    dir.resolve(y.string("server.key", "coordinator.key")).normalize(), poll, y.strings("server.subject_alt_names"));
        }
    }

    /**
     * The names the coordinator's certificate is issued for: localhost and 127.0.0.1 always, the bound host unless
     * it is a wildcard, the configured {@code server.subject_alt_names}, and, when binding every interface, this
     * machine's host names, so sites on other machines can check the certificate against the name they connect to.
     */
    static List<String> certificateNames(String host, List<String> configured) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        if (!wildcard) names.add(host);
        names.addAll(configured);
        if (wildcard) {
            try {
                java.net.InetAddress me = java.net.InetAddress.getLocalHost();
                names.add(me.getHostName());
                names.add(me.getCanonicalHostName());
            } catch (java.io.IOException e) {
                // no resolvable local name: the configured names (and localhost) are what the certificate covers
            }
        }
        return List.copyOf(names);
    }

    /**
     * Coordinator config: the {@link FederationSpec} keys plus
     * <pre>
     * name: heart-disease        # names the output folder runs/&lt;name&gt;-&lt;run id prefix&gt;
     * server: {host: 127.0.0.1, port: 8443, certificate: coordinator.crt, key: coordinator.key, poll_timeout_ms: 20000,
     *          subject_alt_names: [coordinator.hospital.example, 10.0.0.5]}   # names sites connect to (certificate)
     * seed: 42                   # not 0
     * </pre>
     * The certificate and key (relative to the config file unless absolute) are generated with Bouncy Castle on first
     * start when absent; the key is written owner-only. Sites pin the certificate. When the run ends the outputs are
     * written (see {@link Reports#deploymentSummary}): {@code summary.json}, {@code rounds.csv}, the final global
     * model as a ParamCodec MODEL frame ({@code model.fehp}) and its ModelSpec's canonical JSON ({@code model-spec.json}).
     */
    public static RunResult runCoordinator(Path configFile, CoordinatorOptions options, PrintStream out) throws Exception {
        CoordinatorConfig cfg = CoordinatorConfig.read(configFile);
        CoordinatorOptions opt = options == null ? CoordinatorOptions.DEFAULTS : options;
        FederationSpec fed = cfg.federation();
        String host = opt.host() != null ? opt.host() : cfg.host();
        int wantedPort = opt.port() != null ? opt.port() : cfg.port();
        Path certFile = cfg.certificate(), keyFile = cfg.key();
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            List<String> names = certificateNames(host, cfg.subjectAltNames());
            try {
                SelfSignedCertificate.generate("fedehr-coordinator", Duration.ofDays(30), names).write(certFile, keyFile);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(cfg.file() + ": server.subject_alt_names: " + e.getMessage());
            }
            out.println("generated a self-signed TLS certificate for the coordinator (valid 30 days), for the names "
                    + String.join(", ", names) + " (add more with server.subject_alt_names):");
            out.println("  certificate: " + certFile.toAbsolutePath());
            out.println("  private key: " + keyFile.toAbsolutePath() + " (owner-only; stays on this machine)");
            out.println("  every site must be given a copy of the certificate: set coordinator.trust_certificate in its"
                    + " site config, or run `fedehr site --trust FILE`");
        } else {
            out.println("using the coordinator certificate " + certFile.toAbsolutePath() + " (sites must trust this file)");
        }
        String certPem = Files.readString(certFile), keyPem = Files.readString(keyFile);
        long seed = cfg.seed();
        UUID runId = UUID.randomUUID();
        Path outDir = opt.outDir() != null ? opt.outDir() : Path.of("runs", cfg.name() + "-" + runId.toString().substring(0, 8));
        RunSettings settings = new RunSettings(runId, fed.policy(), fed.newStrategy(), fed.trainingPlan(), seed, true,
                fed.secureAggregation());
        List<RoundRecord> completedRounds = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void roundCompleted(RoundRecord r) {
                completedRounds.add(r);
                Reports.printRound(out, r);
            }

            @Override
            public void event(String message) {
                if (message.startsWith("site ") || message.startsWith("run failed") || message.startsWith("statistics"))
                    out.println("  · " + message);
            }
        };
        AtomicReference<InitialModel> initial = new AtomicReference<>();
        FederationRun run = new FederationRun(settings, stats -> {
            InitialModel m = Simulation.initialModel(fed, stats, seed);
            initial.set(m);
            return m;
        }, listener, Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        try {
            CoordinatorServer server = new CoordinatorServer(vertx, run, new ServerSettings(host, wantedPort, certPem, keyPem,
                    fed.maxReplyBytes(), cfg.pollTimeoutMs()));
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            out.println("coordinator listening on https://" + host + ":" + port + " (run " + runId + ", federation "
                    + cfg.name() + ", seed " + seed + ", waiting for " + fed.policy().minSites() + " sites)");
            out.println("  sites join with: fedehr site --config SITE.yaml --coordinator https://" + host + ":" + port
                    + " --trust " + certFile.toAbsolutePath());
            out.println("  results will be written to " + outDir);
            Reports.printHeader(out);
            // stopped before the end (Ctrl-C, SIGTERM): the rounds so far and the current global model are still written
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread onStop = new Thread(() -> {
                if (done.get()) return;
                try {
                    byte[] frame = run.currentModelFrame();
                    RunResult partial = partialResult(runId, settings.strategy().name(), run, frame, completedRounds,
                            fed.policy().rounds());
                    out.println();
                    out.println("coordinator stopped: " + partial.status());
                    writeOutputs(outDir, cfg, partial, frame, initial.get(), (System.nanoTime() - t0) / 1e9, out);
                } catch (Exception e) {
                    out.println("coordinator stopped; could not write the outputs to " + outDir + ": " + e.getMessage());
                }
            }, "fedehr-coordinator-stop");
            Runtime.getRuntime().addShutdownHook(onStop);
            RunResult result = run.run();
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onStop);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping; the hook sees done and does nothing
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            run.awaitSitesFinished(30_000);
            out.println("run " + result.status() + "; bytes up " + result.bytesUp() + ", down " + result.bytesDown());
            writeOutputs(outDir, cfg, result, run.currentModelFrame(), initial.get(), wall, out);
            return result;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** What a run stopped before its end has produced: the completed rounds and the current global model. */
    static RunResult partialResult(UUID runId, String strategy, FederationRun run, byte[] frame, List<RoundRecord> rounds,
                                   int plannedRounds) {
        var model = frame == null ? null : org.fedehr.protocol.codec.ParamCodec.decode(frame);
        return new RunResult(runId, strategy, model == null ? null : model.modelDigest(), model == null ? null : model.values(),
                List.copyOf(rounds), run.bytesUp(), run.bytesDown(),
                "interrupted after " + rounds.size() + " of " + plannedRounds + " round" + (plannedRounds == 1 ? "" : "s"));
    }

    /**
     * Writes summary.json, rounds.csv and, when there is a model, {@code frame} (the MODEL frame whose values are
     * {@code result.finalGlobal()}, taken once so that the file and the summary's hash describe the same model even
     * while a stopped run's thread is still moving) as model.fehp plus model-spec.json.
     */
    private static void writeOutputs(Path outDir, CoordinatorConfig cfg, RunResult result, byte[] frame,
                                     InitialModel model, double wallSeconds, PrintStream out) throws IOException {
        Reports.printDeploymentFinal(out, cfg.name(), cfg.seed(), result, wallSeconds);
        Files.createDirectories(outDir);
        Reports.writeRounds(outDir, cfg.seed(), result.rounds());
        Reports.writeSummary(outDir, Reports.deploymentSummary(cfg.name(), cfg.seed(), cfg.federation().policy().rounds(),
                result, wallSeconds));
        List<String> written = new ArrayList<>(List.of("summary.json", "rounds.csv"));
        if (result.finalGlobal() != null && frame != null && model != null) {
            Files.write(outDir.resolve(MODEL_FILE), frame);
            // exactly the canonical bytes: sha256sum model-spec.json prints the model digest
            Files.writeString(outDir.resolve(MODEL_SPEC_FILE), model.specJson());
            written.add(MODEL_FILE);
            written.add(MODEL_SPEC_FILE);
        }
        out.println("wrote " + String.join(", ", written) + " to " + outDir);
    }

    /** The final global model as written by the coordinator: a ParamCodec MODEL frame. */
    public static final String MODEL_FILE = "model.fehp";
    /** The final global model's ModelSpec, as canonical JSON (its SHA-256 is the model digest). */
    public static final String MODEL_SPEC_FILE = "model-spec.json";

    /**
     * Site config: the site data keys ({@code site}, {@code data}, {@code split}) plus, for deployments,
     * <pre>
     * features: ../../federations/heart-disease/features.yaml
     * coordinator: {url: https://127.0.0.1:8443, trust_certificate: ../../federations/heart-disease/coordinator.crt,
     *               connect_timeout_seconds: 300}   # how long a site started first waits for its coordinator
     * </pre>
     * Command-line values (non-null arguments) take precedence.
     */
    public static void runSite(Path configFile, Path dataRoot, URI coordinatorUrl, Path trustCert, PrintStream out) throws Exception {
        runSite(configFile, dataRoot, coordinatorUrl, trustCert, false, out);
    }

    /**
     * Runs a site node, or with {@code checkOnly} only validates its configuration and data (what a hospital does
     * before it joins: no certificate or coordinator needed) and prints what it found. The data is checked before
     * the coordinator's certificate, so a bad extract is reported first.
     */
    public static void runSite(Path configFile, Path dataRoot, URI coordinatorUrl, Path trustCert, boolean checkOnly,
                               PrintStream out) throws Exception {
        Yaml y = Yaml.load(configFile);
        Path dir = configFile.toAbsolutePath().getParent();
        SiteDataConfig cfg = SiteDataConfig.load(configFile);
        FeatureDictionary dict = FeatureDictionary.load(dir.resolve(y.requiredString("features")).normalize());
        dict.requireCompatible(cfg);
        y.onlyKeys("coordinator", Set.of("url", "trust_certificate", "connect_timeout_seconds"));
        long connectSeconds = y.longValue("coordinator.connect_timeout_seconds", SiteNode.DEFAULT_REGISTRATION_WINDOW.toSeconds());
        if (connectSeconds < 0) throw y.error("coordinator.connect_timeout_seconds", "must be >= 0, was " + connectSeconds);
        Duration connectWindow = Duration.ofSeconds(connectSeconds);
        SiteData data;
        try {
            data = SiteData.load(cfg, dataRoot, dict);
        } catch (org.fedehr.site.data.DataFileMissingException e) {
            throw new ConfigException(e.getMessage() + " (" + DataHints.forMissing(e) + ")", e);
        }
        out.println("site " + cfg.siteId() + ": " + data.report().summary());
        if (checkOnly) {
            out.println("site " + cfg.siteId() + ": configuration and data are valid (check only; nothing was sent)");
            return;
        }
        URI url = coordinatorUrl != null ? coordinatorUrl : URI.create(y.requiredString("coordinator.url"));
        Path trust = (trustCert != null ? trustCert : dir.resolve(y.requiredString("coordinator.trust_certificate"))).normalize();
        String trustPem = readTrustedCertificate(trust, trustCert != null ? "--trust" : configFile + ": coordinator.trust_certificate");
        SiteListener log = (site, msg) -> out.println("[" + site + "] " + msg);
        try (HttpCoordinatorLink link = new HttpCoordinatorLink(url, trustPem, null, 60_000);
             SiteNode node = new SiteNode(cfg.siteId(), dict, data.train(), data.test(), link, log)) {
            node.registrationRetry(connectWindow, org.fedehr.site.Backoff.REGISTRATION);
            node.run();
            out.println("site " + cfg.siteId() + ": finished after training " + node.roundsTrained() + " rounds");
        }
    }

    /** Reads and parses the coordinator certificate a site trusts; errors say which file, from where, and what to do. */
    static String readTrustedCertificate(Path trust, String from) {
        if (!Files.isRegularFile(trust))
            throw new ConfigException("coordinator certificate to trust not found: " + trust + " (from " + from + "). The"
                    + " coordinator writes it on its first start (`fedehr coordinator` prints the path): copy that file"
                    + " here, or pass --trust FILE; `fedehr site --check` validates the data without it");
        String pem;
        try {
            pem = Files.readString(trust);
            var certs = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            if (certs.isEmpty() || !pem.contains("-----BEGIN CERTIFICATE-----")) throw new java.security.cert.CertificateException("no certificate in it");
        } catch (IOException e) {
            throw new ConfigException("cannot read the coordinator certificate " + trust + " (from " + from + "): " + e.getMessage());
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            throw new ConfigException(trust + " (from " + from + ") is not a PEM certificate (-----BEGIN CERTIFICATE-----):"
                    + " give the coordinator.crt the coordinator wrote, never its key");
        }
        return pem;
    }
}
