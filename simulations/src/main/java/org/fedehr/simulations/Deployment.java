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
import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditLedger;
import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.Pem;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.site.HttpCoordinatorLink;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.data.SiteDataConfig;
import org.fedehr.site.policy.SitePolicy;

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
                             Path caCertificate, Path certificate, Path key, Path revocationList, long pollTimeoutMs) {
        static CoordinatorConfig read(Path configFile) {
            if (!Files.isRegularFile(configFile)) throw new ConfigException("coordinator config not found: " + configFile);
            Yaml y = Yaml.load(configFile);
            y.onlyKeys("", Set.of("name", "description", "seed", "features", "federation", "model", "training", "server",
                    "secure_aggregation"));
            y.onlyKeys("server", Set.of("host", "port", "ca_certificate", "certificate", "key", "revocation_list", "poll_timeout_ms"));
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
                    dir.resolve(y.string("server.ca_certificate", "pki/" + FederationCa.CA_CERT)).normalize(),
                    dir.resolve(y.string("server.certificate", "pki/" + FederationCa.COORDINATOR_CERT)).normalize(),
                    dir.resolve(y.string("server.key", "pki/" + FederationCa.COORDINATOR_KEY)).normalize(),
                    dir.resolve(y.string("server.revocation_list", "pki/" + FederationCa.CRL)).normalize(), poll);
        }
    }

    /**
     * Coordinator config: the {@link FederationSpec} keys plus
     * <pre>
     * name: heart-disease        # names the output folder runs/&lt;name&gt;-&lt;run id prefix&gt;
     * server: {host: 127.0.0.1, port: 8443, poll_timeout_ms: 20000,
     *          ca_certificate: pki/ca.crt, certificate: pki/coordinator.crt, key: pki/coordinator.key,
     *          revocation_list: pki/revoked.crl}     # the defaults: what `fedehr ca init --dir pki` writes
     * seed: 42                   # not 0
     * </pre>
     * Paths are relative to the config file unless absolute. The server speaks mutual TLS 1.3: it accepts only site
     * certificates issued by the federation CA and not in the revocation list, which is re-read whenever it changes
     * ({@code fedehr ca revoke} takes effect without a restart). A missing CA, certificate or key is an error that says
     * to run {@code fedehr ca init}. When the run ends the outputs are
     * written (see {@link Reports#deploymentSummary}): {@code summary.json}, {@code rounds.csv}, the final global
     * model as a ParamCodec MODEL frame ({@code model.fehp}) and its ModelSpec's canonical JSON ({@code model-spec.json}).
     */
    public static RunResult runCoordinator(Path configFile, CoordinatorOptions options, PrintStream out) throws Exception {
        CoordinatorConfig cfg = CoordinatorConfig.read(configFile);
        CoordinatorOptions opt = options == null ? CoordinatorOptions.DEFAULTS : options;
        FederationSpec fed = cfg.federation();
        String host = opt.host() != null ? opt.host() : cfg.host();
        int wantedPort = opt.port() != null ? opt.port() : cfg.port();
        Tls tls = coordinatorTls(cfg);
        Path certFile = cfg.certificate();
        out.println("mutual TLS 1.3: federation CA " + tls.trust().caCertificate().getSubjectX500Principal().getName() + " ("
                + cfg.caCertificate() + "), server certificate " + certFile + ", revocation list " + cfg.revocationList()
                + " (re-read when it changes)");
        String certPem = tls.certificatePem(), keyPem = tls.privateKeyPem();
        List<String> names = certificateNames(certPem);
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        if (!wildcard && !names.contains(host))
            out.println("  warning: the coordinator certificate is for " + String.join(", ", names) + ", not " + host
                    + ": sites connecting to " + host + " will fail their TLS host check (list it with `fedehr ca init --san`)");
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
                if (message.startsWith("site ") || message.startsWith("run failed") || message.startsWith("statistics")
                        || message.startsWith("access refused") || message.startsWith("secure aggregation")
                        || message.startsWith("update rejected"))
                    out.println("  · " + message);
            }
        };
        AtomicReference<InitialModel> initial = new AtomicReference<>();
        FederationRun run = new FederationRun(settings, stats -> {
            InitialModel m = Simulation.initialModel(fed, stats, seed);
            initial.set(m);
            return m;
        }, listener, Clock.systemUTC()).verifyKeyAdvertsWith(tls.trust()::verifiedSiteKey);
        // the coordinator's signed audit ledger of this run, signed with its certificate's key; a ledger is evidence:
        // one of an earlier run in the same --out is never replaced
        Path ledgerFile = outDir.resolve(AUDIT_DIR).resolve(AuditEvent.COORDINATOR + Simulation.LEDGER_SUFFIX);
        if (Files.exists(ledgerFile))
            throw new ConfigException("the audit ledger of an earlier run is in " + ledgerFile + "; choose another --out (or move it)");
        AuditLedger ledger = AuditLedger.createCoordinator(ledgerFile, new CertifiedKey(Pem.certificate(certPem, certFile.toString()),
                Pem.privateKey(keyPem, "coordinator private key " + cfg.key()), certPem, keyPem), runId.toString(), Clock.systemUTC());
        run.audit(ledger);
        Vertx vertx = Vertx.vertx();
        try {
            CoordinatorServer server = new CoordinatorServer(vertx, run, new ServerSettings(host, wantedPort, certPem, keyPem,
                    tls.trust(), fed.maxReplyBytes(), cfg.pollTimeoutMs()));
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            out.println("coordinator listening on https://" + host + ":" + port + " (run " + runId + ", federation "
                    + cfg.name() + ", seed " + seed + ", waiting for " + fed.policy().minSites() + " sites)");
            var sa = fed.secureAggregation();
            out.println(sa == null ? "  secure aggregation: OFF (this coordinator sees every site's update)"
                    : "  secure aggregation: on (threshold " + (sa.threshold() == 0 ? "max(2, n/2+1)" : sa.threshold())
                    + ", clip range ±" + sa.clipRange() + ", stage timeout " + sa.stageTimeout().toSeconds()
                    + " s): this coordinator only ever sees masked updates and their sum");
            out.println("  sites join with: fedehr site --config SITE.yaml --coordinator https://" + host + ":" + port
                    + " --ca " + cfg.caCertificate().toAbsolutePath() + " --cert SITE.crt --key SITE.key");
            out.println("  results will be written to " + outDir + " (audit ledger " + ledgerFile + ")");
            Reports.printHeader(out);
            // stopped before the end (Ctrl-C, SIGTERM): the rounds so far and the current global model are still written
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread onStop = new Thread(() -> {
                if (done.get()) return;
                try {
                    byte[] frame = modelOnly(run.currentModelFrame(), initial.get());
                    RunResult partial = partialResult(runId, settings.strategy().name(), run, frame, completedRounds,
                            fed.policy().rounds());
                    out.println();
                    out.println("coordinator stopped: " + partial.status());
                    writeOutputs(outDir, cfg, partial, frame, initial.get(), (System.nanoTime() - t0) / 1e9, out);
                } catch (Exception e) {
                    out.println("coordinator stopped; could not write the outputs to " + outDir + ": " + e.getMessage());
                }
                sealLedger(run, ledger, "coordinator stopped", out);
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
            sealLedger(run, ledger, "run " + result.status(), out);
            writeOutputs(outDir, cfg, result, modelOnly(run.currentModelFrame(), initial.get()), initial.get(), wall, out);
            return result;
        } finally {
            sealLedger(run, ledger, "coordinator stopped", out);    // no-op when sealed above
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The model part of a global MODEL frame: under SCAFFOLD the coordinator's vector carries the control variate after
     * the model's parameters, which a model file must not (its spec declares the parameter count).
     */
    static byte[] modelOnly(byte[] frame, InitialModel model) {
        if (frame == null || model == null) return frame;
        var f = org.fedehr.protocol.codec.ParamCodec.decode(frame);
        int p = model.parameters().length;
        if (f.values().length == p) return frame;
        return org.fedehr.protocol.codec.ParamCodec.encode(new org.fedehr.protocol.codec.ParamFrame(f.kind(), f.runId(), f.round(),
                f.weight(), f.modelDigest(), java.util.Arrays.copyOf(f.values(), p)));
    }

    /** Where in a coordinator's output folder its audit ledger goes. */
    public static final String AUDIT_DIR = "audit";

    /** Detaches and seals the coordinator's ledger, best effort (idempotent). */
    private static void sealLedger(FederationRun run, AuditLedger ledger, String note, PrintStream out) {
        run.audit(null);
        synchronized (ledger) {
            if (ledger.sealed()) return;
            try {
                ledger.seal(note);
                out.println("sealed audit ledger " + ledger.file());
            } catch (RuntimeException e) {
                out.println("could not seal the audit ledger " + ledger.file() + ": " + e.getMessage());
            } finally {
                try {
                    ledger.close();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
        }
    }

    /** The coordinator's TLS material, read and checked before anything starts. */
    record Tls(FederationTrust trust, String certificatePem, String privateKeyPem) {
        @Override
        public String toString() {
            return "Tls[" + trust.caCertificate().getSubjectX500Principal().getName() + "]";
        }
    }

    /** The DNS and IP names a PEM certificate is issued for. */
    static List<String> certificateNames(String certPem) {
        List<String> names = new ArrayList<>();
        try {
            var sans = Pem.certificate(certPem, "coordinator certificate").getSubjectAlternativeNames();
            if (sans != null) for (List<?> san : sans) names.add(String.valueOf(san.get(1)));
        } catch (java.security.cert.CertificateException e) {
            // checked before: coordinatorTls parsed it
        }
        return names;
    }

    static Tls coordinatorTls(CoordinatorConfig cfg) {
        String init = "create the federation's PKI with `fedehr ca init --dir " + cfg.caCertificate().getParent()
                + "` (it writes ca.crt, ca.key, coordinator.crt, coordinator.key and revoked.crl), or fix the path";
        for (var e : List.of(java.util.Map.entry("server.ca_certificate", cfg.caCertificate()),
                java.util.Map.entry("server.certificate", cfg.certificate()), java.util.Map.entry("server.key", cfg.key()),
                java.util.Map.entry("server.revocation_list", cfg.revocationList()))) {
            if (!Files.isRegularFile(e.getValue()))
                throw new ConfigException(cfg.file() + ": " + e.getKey() + ": file not found: " + e.getValue() + "; " + init);
        }
        FederationTrust trust;
        try {
            trust = FederationTrust.load(cfg.caCertificate(), cfg.revocationList());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(cfg.file() + ": server.ca_certificate / server.revocation_list: " + e.getMessage());
        }
        String certPem = Pem.read(cfg.certificate(), "coordinator certificate");
        String keyPem = Pem.read(cfg.key(), "coordinator private key");
        try {
            java.security.cert.X509Certificate cert = Pem.certificate(certPem, "coordinator certificate " + cfg.certificate());
            try {
                cert.verify(trust.caCertificate().getPublicKey());
            } catch (java.security.GeneralSecurityException e) {
                throw new ConfigException(cfg.file() + ": server.certificate: " + cfg.certificate() + " is not issued by the"
                        + " federation CA " + cfg.caCertificate() + "; issue it with the same `fedehr ca init`");
            }
            cert.checkValidity();
            Pem.privateKey(keyPem, "coordinator private key " + cfg.key());
        } catch (java.security.cert.CertificateExpiredException e) {
            throw new ConfigException(cfg.file() + ": server.certificate: " + cfg.certificate() + " has expired");
        } catch (java.security.cert.CertificateException | IllegalArgumentException e) {
            throw new ConfigException(cfg.file() + ": " + e.getMessage());
        }
        return new Tls(trust, certPem, keyPem);
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
        var summary = Reports.deploymentSummary(cfg.name(), cfg.seed(), cfg.federation().policy().rounds(), result, wallSeconds);
        Reports.secureAggregation(summary, cfg.federation().secureAggregation());
        Reports.writeSummary(outDir, summary);
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
     * Command-line overrides of a site run (null = from the config).
     *
     * @param coordinator   coordinator URL ({@code coordinator.url})
     * @param caCertificate the federation CA certificate ({@code coordinator.ca_certificate})
     * @param certificate   this site's certificate ({@code coordinator.certificate})
     * @param key           this site's private key ({@code coordinator.key})
     * @param checkOnly     only validate the configuration and data (no certificate or coordinator needed)
     * @param policy        the hospital's site policy file ({@code policy})
     * @param auditDir      where the site's signed audit ledgers go ({@code audit_dir}, default {@code audit/} next to the config)
     */
    public record SiteOptions(URI coordinator, Path caCertificate, Path certificate, Path key, boolean checkOnly, Path policy,
                              Path auditDir) {
        public static final SiteOptions DEFAULTS = new SiteOptions(null, null, null, null, false, null, null);
        public static final SiteOptions CHECK_ONLY = new SiteOptions(null, null, null, null, true, null, null);

        public SiteOptions(URI coordinator, Path caCertificate, Path certificate, Path key, boolean checkOnly, Path policy) {
            this(coordinator, caCertificate, certificate, key, checkOnly, policy, null);
        }

        public SiteOptions(URI coordinator, Path caCertificate, Path certificate, Path key, boolean checkOnly) {
            this(coordinator, caCertificate, certificate, key, checkOnly, null);
        }
    }

    /**
     * The site's policy: {@code --policy FILE}, else the site config's {@code policy:} (relative to the config), else
     * none (a permissive policy, said on the console). Errors name the file, line and key.
     */
    static SitePolicy sitePolicy(Yaml y, Path configDir, SiteOptions opt, String siteId, PrintStream out) {
        Path file = opt.policy() != null ? opt.policy() : y.has("policy") ? configDir.resolve(y.requiredString("policy")).normalize() : null;
        if (file == null) {
            out.println("site " + siteId + ": no site policy (--policy FILE or policy: in the site config): every model, task and"
                    + " round is admitted; the egress guard still checks every message");
            return SitePolicy.permissive();
        }
        if (!Files.isRegularFile(file))
            throw new ConfigException("site policy not found: " + file + " (from " + (opt.policy() != null ? "--policy" : configDir + ": policy") + ")");
        SitePolicy p;
        try {
            p = SitePolicy.load(file);
        } catch (org.fedehr.site.data.DataConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        out.println("site " + siteId + ": policy " + file + ": " + describe(p));
        return p;
    }

    /** One line: what the policy admits. */
    static String describe(SitePolicy p) {
        return (p.approvedModels() == null ? "any model" : p.approvedModels().size() + " approved model(s)")
                + (p.manualApproval() ? " + manual approvals (" + p.approvalsFile() + ")" : "")
                + ", tasks " + p.allowedTasks().toString().toLowerCase(java.util.Locale.ROOT)
                + ", min cohort " + p.minCohort()
                + ", max rounds " + (p.maxRounds() == 0 ? "unlimited" : p.maxRounds())
                + ", secure aggregation " + (p.secureAggregationRequired() ? "required" : "optional")
                + (p.budget() == null ? ", no privacy budget" : ", privacy budget of project " + p.budget().project() + " (ε "
                + p.budget().epsilon() + ", δ " + p.budget().delta() + ")");
    }

    /**
     * Runs a site node, or with {@code checkOnly} only validates its configuration and data (what a hospital does
     * before it joins: no certificate or coordinator needed) and prints what it found. The data is checked before
     * the certificates, so a bad extract is reported first. Site config: the site data keys ({@code site},
     * {@code data}, {@code split}) plus, for deployments,
     * <pre>
     * features: ../../federations/heart-disease/features.yaml
     * coordinator: {url: https://127.0.0.1:8443,
     *               ca_certificate: ../../federations/heart-disease/pki/ca.crt,   # the federation CA (public)
     *               certificate: pki/cleveland.crt,    # issued by `fedehr ca sign` (default pki/&lt;site id&gt;.crt)
     *               key: pki/cleveland.key,            # from `fedehr site keygen`, owner-only (default pki/&lt;site id&gt;.key)
     *               connect_timeout_seconds: 300}      # how long a site started first waits for its coordinator
     * policy: policy.yaml                              # the hospital's site policy (or --policy FILE)
     * audit_dir: audit                                 # signed audit ledgers, &lt;site&gt;-&lt;run id prefix&gt;.audit.jsonl (or --audit-dir DIR)
     * </pre>
     * Command-line values (non-null) take precedence.
     */
    public static void runSite(Path configFile, Path dataRoot, SiteOptions options, PrintStream out) throws Exception {
        SiteOptions opt = options == null ? SiteOptions.DEFAULTS : options;
        boolean checkOnly = opt.checkOnly();
        Yaml y = Yaml.load(configFile);
        Path dir = configFile.toAbsolutePath().getParent();
        SiteDataConfig cfg = SiteDataConfig.load(configFile);
        FeatureDictionary dict = FeatureDictionary.load(dir.resolve(y.requiredString("features")).normalize());
        dict.requireCompatible(cfg);
        y.onlyKeys("coordinator", Set.of("url", "ca_certificate", "certificate", "key", "connect_timeout_seconds"));
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
        SitePolicy policy = sitePolicy(y, dir, opt, cfg.siteId(), out);
        if (checkOnly) {
            out.println("site " + cfg.siteId() + ": configuration and data are valid (check only; nothing was sent)");
            return;
        }
        URI url = opt.coordinator() != null ? opt.coordinator() : URI.create(y.requiredString("coordinator.url"));
        Path ca = (opt.caCertificate() != null ? opt.caCertificate() : dir.resolve(y.requiredString("coordinator.ca_certificate"))).normalize();
        String caPem = readTrustedCertificate(ca, opt.caCertificate() != null ? "--ca" : configFile + ": coordinator.ca_certificate");
        Path certFile = (opt.certificate() != null ? opt.certificate()
                : dir.resolve(y.string("coordinator.certificate", "pki/" + cfg.siteId() + ".crt"))).normalize();
        Path keyFile = (opt.key() != null ? opt.key() : dir.resolve(y.string("coordinator.key", "pki/" + cfg.siteId() + ".key"))).normalize();
        SiteIdentity identity = siteIdentity(cfg.siteId(), caPem, ca, keyFile, opt.key() != null ? "--key" : configFile + ": coordinator.key",
                certFile, opt.certificate() != null ? "--cert" : configFile + ": coordinator.certificate");
        out.println("site " + cfg.siteId() + ": certificate serial " + identity.certificate().getSerialNumber().toString(16)
                + ", valid until " + identity.certificate().getNotAfter().toInstant() + "; trusting the federation CA "
                + FederationTrust.commonName(Pem.certificate(caPem, ca.toString())));
        Path auditDir = (opt.auditDir() != null ? opt.auditDir() : dir.resolve(y.string("audit_dir", "audit"))).toAbsolutePath().normalize();
        // created when the run id is known (the first instruction), signed with this site's certificate key
        org.fedehr.site.RunAuditLedger ledger = new org.fedehr.site.RunAuditLedger(auditDir, identity, Clock.systemUTC());
        out.println("site " + cfg.siteId() + ": audit ledger in " + auditDir + " (" + cfg.siteId() + "-<run id prefix>"
                + org.fedehr.site.RunAuditLedger.SUFFIX + ")");
        SiteListener log = (site, msg) -> out.println("[" + site + "] " + msg);
        try (HttpCoordinatorLink link = new HttpCoordinatorLink(url, caPem, identity, null, 60_000);
             SiteNode node = new SiteNode(cfg.siteId(), dict, org.fedehr.site.SiteRows.of(data.train(), data.test()), link, log, policy)) {
            node.registrationRetry(connectWindow, org.fedehr.site.Backoff.REGISTRATION);
            // secure aggregation: ephemeral keys signed with this site's certificate key; peers' certificates checked
            // against the federation CA (the coordinator, which holds the revocation list, checks revocation)
            FederationTrust peers = new FederationTrust(Pem.certificate(caPem, ca.toString()), null);
            node.secureAggregation(new org.fedehr.site.SecAggIdentity(identity.privateKey(), identity.certificatePem(),
                    peers::verifiedSiteKey));
            node.audit(ledger);
            String end = "run finished";
            try {
                node.run();
            } catch (Exception | Error e) {
                end = "site stopped: " + e.getClass().getSimpleName();
                throw e;
            } finally {
                try {
                    ledger.seal(end);
                    if (ledger.file() != null) out.println("site " + cfg.siteId() + ": sealed audit ledger " + ledger.file());
                } catch (RuntimeException e) {
                    out.println("site " + cfg.siteId() + ": could not seal the audit ledger " + ledger.file() + ": " + e.getMessage());
                }
            }
            out.println("site " + cfg.siteId() + ": finished after training " + node.roundsTrained() + " rounds");
        }
    }

    /**
     * Loads the site's key and certificate and checks them before anything is sent: the certificate must be issued by
     * the federation CA, valid now, a client certificate, and for this site. Errors name the file and what to do.
     */
    static SiteIdentity siteIdentity(String siteId, String caPem, Path caFile, Path keyFile, String keyFrom, Path certFile,
                                     String certFrom) {
        String howTo = "`fedehr site keygen --site " + siteId + " --out DIR` makes the key and a CSR; send the CSR (never the"
                + " key) to the federation CA, which returns " + siteId + ".crt (`fedehr ca sign`)";
        if (!Files.isRegularFile(keyFile))
            throw new ConfigException("site private key not found: " + keyFile + " (from " + keyFrom + "). " + howTo);
        if (!Files.isRegularFile(certFile))
            throw new ConfigException("site certificate not found: " + certFile + " (from " + certFrom + "). " + howTo);
        SiteIdentity id;
        try {
            id = SiteIdentity.load(keyFile, certFile);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (from " + certFrom + ", " + keyFrom + ")");
        }
        try {
            new FederationTrust(Pem.certificate(caPem, caFile.toString()), null).validateSite(id.certificate(), siteId);
        } catch (java.security.cert.CertificateException e) {
            throw new ConfigException("site certificate " + certFile + " cannot be used with the federation CA " + caFile + ": "
                    + e.getMessage() + " (this site config is for site " + siteId + ")");
        }
        return id;
    }

    /** Reads and parses the federation CA certificate a site trusts; errors say which file, from where, and what to do. */
    static String readTrustedCertificate(Path trust, String from) {
        if (!Files.isRegularFile(trust))
            throw new ConfigException("federation CA certificate not found: " + trust + " (from " + from + "). The"
                    + " federation's operator creates it with `fedehr ca init` (ca.crt): copy that file here, or pass"
                    + " --ca FILE; `fedehr site --check` validates the data without it");
        String pem;
        try {
            pem = Files.readString(trust);
            var certs = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            if (certs.isEmpty() || !pem.contains("-----BEGIN CERTIFICATE-----")) throw new java.security.cert.CertificateException("no certificate in it");
        } catch (IOException e) {
            throw new ConfigException("cannot read the federation CA certificate " + trust + " (from " + from + "): " + e.getMessage());
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            throw new ConfigException(trust + " (from " + from + ") is not a PEM certificate (-----BEGIN CERTIFICATE-----):"
                    + " give the federation's ca.crt, never a key");
        }
        return pem;
    }
}
