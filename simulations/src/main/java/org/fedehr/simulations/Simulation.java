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
import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainResult;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditLedger;
import org.fedehr.site.CoordinatorLink;
import org.fedehr.site.HttpCoordinatorLink;
import org.fedehr.simulations.faults.FaultPlan;
import org.fedehr.simulations.faults.FaultyLink;
import org.fedehr.site.SiteRows;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.site.SecAggIdentity;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.DataFileMissingException;
import org.fedehr.site.data.DataFormatException;
import org.fedehr.site.data.FittedHarmonizer;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.data.SiteDataConfig;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a scenario as a real federation inside one JVM: the coordinator's HTTPS server on loopback and one
 * site node per site, each on its own thread with its own HTTPS client, each reading only its own file. Each run
 * has its own in-memory PKI ({@link SimulationPki}): a federation CA, the coordinator's certificate and one
 * certificate per site, so every connection is mutual TLS 1.3 as in a deployment. The
 * code paths are exactly those of a deployment; only the process boundary is missing. After the run the
 * harness computes reference metrics and trains the pooled and local-only baselines on the same splits and
 * features.
 */
public final class Simulation {
    private final Path dataRoot;
    private final RunListener listener;
    private final SiteListener siteLog;
    private Path auditDir;

    public Simulation(Path dataRoot, RunListener listener, SiteListener siteLog) {
        this.dataRoot = dataRoot;
        this.listener = listener == null ? new RunListener() { } : listener;
        this.siteLog = siteLog == null ? SiteListener.NONE : siteLog;
    }

    /**
     * Writes signed audit ledgers of the run into {@code dir} (null = none): {@code <site>.audit.jsonl} per site and
     * {@code coordinator.audit.jsonl}, signed with the simulation PKI's site and coordinator keys, sealed when the run
     * ends, and {@code ca.crt}, the run's CA certificate. Ledgers of an earlier run in that folder are replaced, like the run's other outputs.
     */
    public Simulation auditDir(Path dir) {
        this.auditDir = dir;
        return this;
    }

    /** Site id → that site's own DP-SGD settings; sites not named train without DP. */
    private Map<String, org.fedehr.models.DpSgdSettings> siteDp = Map.of();
    private final List<SiteNode> lastNodes = new ArrayList<>();

    /**
     * Makes the named sites train with DP-SGD under the given settings (each site's own policy: the coordinator
     * neither sets nor sees σ). Applies to the following runs.
     */
    public Simulation siteDifferentialPrivacy(Map<String, org.fedehr.models.DpSgdSettings> settings) {
        this.siteDp = Map.copyOf(settings);
        return this;
    }

    /** The site nodes of the last run, in scenario order (closed; for reading what they recorded, e.g. DP spends). */
    public List<SiteNode> lastSiteNodes() {
        return List.copyOf(lastNodes);
    }

    private Path budgetDir;

    /** Where this simulation keeps the sites' privacy-budget state (a fresh temporary folder, deleted at exit). */
    private Path budgetDir() throws java.io.IOException {
        if (budgetDir == null) {
            budgetDir = java.nio.file.Files.createTempDirectory("fedehr-budget-");
            budgetDir.toFile().deleteOnExit();
        }
        Path run = java.nio.file.Files.createDirectories(budgetDir.resolve("run-" + runCounter));
        run.toFile().deleteOnExit();
        return run;
    }

    private int runCounter;

    /** Removes this simulation's privacy-budget state: a simulated project does not outlive its run. */
    private void deleteBudgetState() {
        if (budgetDir == null) return;
        try (var files = java.nio.file.Files.walk(budgetDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
            siteLog.event("simulation", "could not remove the temporary budget state " + budgetDir + ": " + e.getMessage());
        }
        budgetDir = null;
    }

    public SeedResult run(Scenario sc) throws Exception {
        return run(sc, loadSites(sc, dataRoot));
    }

    /**
     * Preflight: reads and validates every site's configuration and data (each site node reads only its own
     * configuration and file) before anything runs, so a bad site config or a missing file fails before any output.
     * The result does not depend on the seed and may be reused for several seeds.
     *
     * @return site id → its data, in scenario order
     * @throws ConfigException naming the site, its config file and what is wrong (with a hint for a missing file)
     */
    public static Map<String, SiteData> loadSites(Scenario sc, Path dataRoot) {
        Map<String, SiteData> read = loadSiteFiles(sc, dataRoot);
        return sc.partition() == null ? read : Partitions.apply(sc, read, dataRoot);   // partitioned sites: rows from the files
    }

    private static Map<String, SiteData> loadSiteFiles(Scenario sc, Path dataRoot) {
        FederationSpec fed = sc.federation();
        Map<String, SiteDataConfig> configs = new LinkedHashMap<>();
        for (Path f : sc.siteFiles()) {
            SiteDataConfig cfg = SiteDataConfig.load(f);
            fed.dictionary().requireCompatible(cfg);
            SiteDataConfig same = configs.putIfAbsent(cfg.siteId(), cfg);
            if (same != null) throw new ConfigException(f + ": duplicate site id " + cfg.siteId() + " (also in " + same.source() + ")");
        }
        for (SiteDataConfig cfg : configs.values()) {         // every file checked before any is read
            try {
                SiteData.requireFiles(cfg, dataRoot);
            } catch (DataFileMissingException e) {
                throw new ConfigException(e.getMessage() + " (" + DataHints.forMissing(e) + ")", e);
            }
        }
        Map<String, SiteData> data = new LinkedHashMap<>();
        for (SiteDataConfig cfg : configs.values()) {
            try {
                data.put(cfg.siteId(), SiteData.load(cfg, dataRoot, fed.dictionary()));
            } catch (DataFormatException e) {
                throw new ConfigException("site " + cfg.siteId() + " (" + cfg.source() + "): " + e.getMessage(), e);
            }
        }
        return data;
    }

    /** Runs the scenario on site data read by {@link #loadSites}. */
    public SeedResult run(Scenario sc, Map<String, SiteData> data) throws Exception {
        long t0 = System.nanoTime();
        runCounter++;
        FederationSpec fed = sc.federation();
        for (SiteData d : data.values()) siteLog.event(d.siteId(), "data: " + d.report().summary());
        if (sc.mode() == ExecutionMode.IN_PROCESS) {
            if (sc.faults() != null)
                throw new ConfigException(sc.file() + ": faults: fault injection acts on each site's network link and runs in mode: network only");
            lastNodes.clear();
            try {
                InProcessSimulation.Outcome o = new InProcessSimulation(listener, siteLog, auditDir, siteDp)
                        .run(sc, data, sc.sitePolicy() == null ? null : budgetDir());
                return results(sc, data, o.run(), o.result(), o.maxUpdateBytes(), o.personalModels(), t0);
            } finally {
                deleteBudgetState();
            }
        }

        SimulationPki pki = SimulationPki.create(sc.name().replaceAll("[^A-Za-z0-9 _.-]", "_"), data.keySet());
        UUID runId = new UUID(sc.seed(), sc.name().hashCode()); // reproducible run id for a (scenario, seed)
        RunSettings settings = new RunSettings(runId, fed.policy(), fed.newStrategy(), fed.trainingPlan(), sc.seed(), true,
                fed.secureAggregation());
        FederationRun run = new FederationRun(settings, stats -> initialModel(fed, stats, sc.seed()), listener, Clock.systemUTC())
                .verifyKeyAdvertsWith(pki.trust()::verifiedSiteKey);

        Map<String, AuditLedger> ledgers = new TreeMap<>();
        if (auditDir != null) {
            Files.createDirectories(auditDir);
            // this run's throw-away federation CA, so that `fedehr audit verify --ca` can check the ledgers' certificates
            Files.writeString(auditDir.resolve("ca.crt"), pki.ca().certificatePem());
            Path cf = auditDir.resolve(AuditEvent.COORDINATOR + LEDGER_SUFFIX);
            Files.deleteIfExists(cf);
            ledgers.put(AuditEvent.COORDINATOR, AuditLedger.createCoordinator(cf, pki.coordinator(), runId.toString(), Clock.systemUTC()));
            for (String site : data.keySet()) {
                Path f = auditDir.resolve(site + LEDGER_SUFFIX);
                Files.deleteIfExists(f);
                ledgers.put(site, AuditLedger.create(f, pki.identity(site), runId.toString(), Clock.systemUTC()));
            }
            run.audit(ledgers.get(AuditEvent.COORDINATOR));
        }

        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        ExecutorService sitePool = Executors.newFixedThreadPool(data.size(), named("site"));
        List<SiteNode> nodes = new ArrayList<>();
        List<Future<?>> siteRuns = new ArrayList<>();
        RunResult result;
        try {
            CoordinatorServer server = new CoordinatorServer(serverVertx, run, new ServerSettings("127.0.0.1", 0,
                    pki.coordinator().certificatePem(), pki.coordinator().privateKeyPem(), pki.trust(), fed.maxReplyBytes(), 10_000));
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            URI url = URI.create("https://127.0.0.1:" + port);
            FaultPlan faults = sc.faults() == null ? null
                    : new FaultPlan(sc.faults(), sc.seed(), List.copyOf(data.keySet()), fed.policy().rounds());
            for (SiteData d : data.values()) {
                HttpCoordinatorLink http = new HttpCoordinatorLink(url, pki.ca().certificatePem(), pki.identity(d.siteId()),
                        clientVertx, 60_000);
                // fault injection: the site's network as the plan makes it (below the node's egress guard)
                CoordinatorLink link = faults == null ? http : new FaultyLink(d.siteId(), http, faults, siteLog);
                SiteNode node = sc.sitePolicy() == null
                        ? new SiteNode(d.siteId(), fed.dictionary(), d.train(), d.test(), link, siteLog)
                        : new SiteNode(d.siteId(), fed.dictionary(), SiteRows.of(d.train(), d.test()), link, siteLog,
                        // a simulated federation is a fresh project each run: its budget state lives with the run, so a
                        // rerun does not find the budget spent (deployments keep it next to the hospital's policy)
                        SitePolicy.load(sc.sitePolicy()).withBudgetState(budgetDir().resolve(d.siteId() + ".budget.json")));
                // secure aggregation: the site signs its ephemeral keys with its certificate key and checks its peers'
                SiteIdentity id = pki.identity(d.siteId());
                node.secureAggregation(new SecAggIdentity(id.privateKey(), id.certificatePem(), pki.trust()::verifiedSiteKey));
                AuditLedger ledger = ledgers.get(d.siteId());
                if (ledger != null) node.audit(ledger);
                if (siteDp.containsKey(d.siteId())) node.differentialPrivacy(siteDp.get(d.siteId()));
                if (faults != null)   // a site back from a fault must be polling again well within the round's grace
                    node.updateTransform(faults.transform(d.siteId())).pollBackoff(FAULT_POLL_BACKOFF).retryDelayMs(50);
                nodes.add(node);
                siteRuns.add(sitePool.submit(() -> {
                    String end = "run finished";
                    try (node; link) {
                        node.run();
                    } catch (Exception | Error e) {
                        end = "site stopped: " + e.getClass().getSimpleName();
                        throw e;
                    } finally {
                        if (ledger != null) sealQuietly(ledger, end);
                    }
                    return null;
                }));
            }
            lastNodes.clear();
            lastNodes.addAll(nodes);
            result = run.run();
            run.awaitSitesFinished(30_000);
            for (Future<?> f : siteRuns) f.get(60, TimeUnit.SECONDS);
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            run.audit(null);
            for (AuditLedger l : ledgers.values()) sealQuietly(l, "run ended");   // the sites' own seals come first
            sitePool.shutdownNow();
            clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            deleteBudgetState();
        }
        long updateBytes = nodes.stream().mapToLong(SiteNode::lastUpdateBytes).max().orElse(0);
        Map<String, float[]> personal = new TreeMap<>();   // Ditto: every site is measured with its own model
        for (SiteNode node : nodes) if (node.personalModel() != null) personal.put(node.siteId(), node.personalModel());
        return results(sc, data, run, result, updateBytes, personal, t0);
    }

    /** The seed's result: the run's figures, reference metrics and the baselines on the same splits and features. */
    private static SeedResult results(Scenario sc, Map<String, SiteData> data, FederationRun run, RunResult result, long updateBytes,
                                      Map<String, float[]> personalModels, long t0) {
        FederationSpec fed = sc.federation();
        if (result.finalGlobal() == null) {
            return new SeedResult(sc.seed(), result.status(), result.rounds(), null, null, new TreeMap<>(), null, null, 0,
                    result.bytesUp(), result.bytesDown(), 0, 0, (System.nanoTime() - t0) / 1e9);
        }

        // reference metrics and baselines on the same splits and harmonised features
        FittedHarmonizer h = FittedHarmonizer.fit(fed.dictionary(), run.globalStatistics());
        Map<String, HarmonisedSite> sites = new TreeMap<>();
        for (SiteData d : data.values()) {
            sites.put(d.siteId(), new HarmonisedSite(d.siteId(), h.transform(d.train()), FittedHarmonizer.labels(d.train()),
                    h.transform(d.test()), FittedHarmonizer.labels(d.test()), survivalTimes(d.train()), survivalTimes(d.test())));
        }
        ModelSpec spec = fed.modelSpec(h.width());
        ModelMetrics federated;
        ModelMetrics pooled = null;
        TreeMap<String, ModelMetrics> local = new TreeMap<>();
        try (LocalTrainer trainer = new LocalTrainer(spec, sc.seed())) {
            // a personalised strategy (Ditto) is measured with each site's own model on that site's test rows
            federated = Evaluation.of(trainer, result.finalGlobal(), run.settings().strategy().personalised() ? personalModels
                    : Map.of(), sites);
            float[] init = trainer.initialParameters();
            if (sc.pooledBaseline()) {
                float[][] x = concatX(sites, null);
                float[] y = concatY(sites, null);
                float[] t = spec.survival() ? concat(sites, HarmonisedSite::tTrain) : null;
                pooled = Evaluation.of(trainer, trained(trainer, init, x, y, t, sc), sites);
            }
            if (sc.localBaseline()) {
                for (HarmonisedSite s : sites.values()) {
                    if (s.yTrain().length == 0) continue;
                    local.put(s.siteId(), Evaluation.of(trainer, trained(trainer, init, s.xTrain(), s.yTrain(),
                            spec.survival() ? s.tTrain() : null, sc), sites));
                }
            }
        }
        int p = result.finalGlobal().length;
        return new SeedResult(sc.seed(), result.status(), result.rounds(), federated, pooled, local, result.modelDigest(),
                sha256(result.finalGlobal()), p, result.bytesUp(), result.bytesDown(), updateBytes, 4L * p,
                (System.nanoTime() - t0) / 1e9);
    }

    static final String LEDGER_SUFFIX = ".audit.jsonl";
    /** Poll backoff of sites in a run with injected faults (50 ms … 200 ms instead of up to 5 s). */
    static final org.fedehr.site.Backoff FAULT_POLL_BACKOFF = new org.fedehr.site.Backoff(50, 200);

    private static void sealQuietly(AuditLedger l, String note) {
        synchronized (l) {
            if (l.sealed()) return;
            l.seal(note);
            l.close();
        }
    }

    private static float[] trained(LocalTrainer trainer, float[] init, float[][] x, float[] y, float[] time, Scenario sc) {
        TrainResult r = trainer.train(init, x, y, time, sc.baselineTraining(), sc.seed() * 31 + 7);
        float[] out = init.clone();
        for (int i = 0; i < out.length; i++) out[i] += r.delta()[i];
        return out;
    }

    private static float[][] concatX(Map<String, HarmonisedSite> sites, String only) {
        List<float[]> rows = new ArrayList<>();
        for (HarmonisedSite s : sites.values()) for (float[] r : s.xTrain()) rows.add(r);
        return rows.toArray(new float[0][]);
    }

    /** A site's survival times (empty for no rows, null when the rows carry none). */
    private static float[] survivalTimes(List<org.fedehr.site.data.Row> rows) {
        return rows.isEmpty() ? new float[0] : FittedHarmonizer.times(rows);
    }

    private static float[] concat(Map<String, HarmonisedSite> sites, java.util.function.Function<HarmonisedSite, float[]> part) {
        int n = 0;
        for (HarmonisedSite s : sites.values()) n += part.apply(s).length;
        float[] out = new float[n];
        int off = 0;
        for (HarmonisedSite s : sites.values()) {
            float[] p = part.apply(s);
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static float[] concatY(Map<String, HarmonisedSite> sites, String only) {
        int n = 0;
        for (HarmonisedSite s : sites.values()) n += s.yTrain().length;
        float[] y = new float[n];
        int off = 0;
        for (HarmonisedSite s : sites.values()) {
            System.arraycopy(s.yTrain(), 0, y, off, s.yTrain().length);
            off += s.yTrain().length;
        }
        return y;
    }

    /** The global model's starting point, once the federated statistics fix the input width. */
    static InitialModel initialModel(FederationSpec fed, org.fedehr.protocol.stats.FeatureStatistics stats, long seed) {
        int width = FittedHarmonizer.fit(fed.dictionary(), stats).width();
        ModelSpec spec = fed.modelSpec(width);
        try (LocalTrainer t = new LocalTrainer(spec, seed)) {
            return new InitialModel(spec.canonicalJson(), spec.digest(), t.initialParameters());
        }
    }

    static String sha256(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Convenience for round tables: the per-round records of a run. */
    public static List<RoundRecord> rounds(SeedResult r) {
        return r.rounds();
    }
}
