package org.fedehr.simulations;

import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.fedehr.coordinator.CoordinatorServer;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.InitialModel;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.coordinator.ServerSettings;
import org.fedehr.models.BinaryMetrics;
import org.fedehr.models.EvalResult;
import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.SequenceData;
import org.fedehr.models.SequenceTrainer;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.HttpCoordinatorLink;
import org.fedehr.site.SecAggIdentity;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.site.sequence.HarmonisedSequences;
import org.fedehr.site.sequence.SequenceSite;

/**
 * Runs a {@link LongitudinalScenario} as a real federation in one JVM, exactly as {@link Simulation} does for tabular
 * sites (loopback mutual TLS, a {@link SimulationPki} per run, the coordinator's statistics phase, secure aggregation
 * when configured, FedAvg) but with site nodes over {@link SequenceSite}s. After the run the harness — which, unlike the
 * coordinator, may see every site's test stays — evaluates the final global model on each site's test split and on
 * their union, and trains the pooled and local-only baselines on the same splits and harmonised features.
 */
public final class LongitudinalSimulation {
    private final RunListener listener;
    private final SiteListener siteLog;

    public LongitudinalSimulation(RunListener listener, SiteListener siteLog) {
        this.listener = listener == null ? new RunListener() { } : listener;
        this.siteLog = siteLog == null ? SiteListener.NONE : siteLog;
    }

    /** One model's figures: on the union of the test stays, and per site on its own test stays. */
    public record Figures(int n, Double auroc, Double auprc, Double accuracy, Map<String, SiteFigures> perSite) {
    }

    /** One site's test figures (null = n/a: no stays, or a single class). */
    public record SiteFigures(int n, int positives, Double auroc, Double auprc) {
    }

    /** What one seeded run produced. */
    public record Result(long seed, String status, RunResult run, ModelSpec spec, Figures federated, Figures pooled,
                         Map<String, Figures> local, Map<String, int[]> siteSizes, double wallSeconds) {
        /** Local-only: the mean over sites of each site's own model's AUROC on its own test stays. */
        public Double localMeanOwnAuroc() {
            return meanOwn(SiteFigures::auroc);
        }

        public Double localMeanOwnAuprc() {
            return meanOwn(SiteFigures::auprc);
        }

        private Double meanOwn(Function<SiteFigures, Double> f) {
            double s = 0;
            int k = 0;
            for (var e : local.entrySet()) {
                SiteFigures own = e.getValue().perSite().get(e.getKey());
                if (own != null && f.apply(own) != null) {
                    s += f.apply(own);
                    k++;
                }
            }
            return k == 0 ? null : s / k;
        }
    }

    /**
     * @param sites   site id → that site's longitudinal data, in scenario order
     * @param layout  the harmonised layout as a function of the merged statistics (the coordinator side's view)
     */
    public Result run(LongitudinalScenario sc, Map<String, SequenceSite> sites,
                      Function<FeatureStatistics, SequenceSite.Layout> layout) throws Exception {
        long t0 = System.nanoTime();
        FederationSpec fed = sc.federation();
        SimulationPki pki = SimulationPki.create(sc.name().replaceAll("[^A-Za-z0-9 _.-]", "_"), sites.keySet());
        UUID runId = new UUID(sc.seed(), sc.name().hashCode());
        RunSettings settings = new RunSettings(runId, fed.policy(), fed.newStrategy(), fed.trainingPlan(), sc.seed(), true,
                fed.secureAggregation());
        FederationRun run = new FederationRun(settings, stats -> initialModel(sc, layout.apply(stats), sc.seed()), listener,
                Clock.systemUTC()).verifyKeyAdvertsWith(pki.trust()::verifiedSiteKey);
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        ExecutorService pool = Executors.newFixedThreadPool(sites.size(), Simulation.named("site"));
        List<Future<?>> siteRuns = new ArrayList<>();
        RunResult result;
        try {
            CoordinatorServer server = new CoordinatorServer(serverVertx, run, new ServerSettings("127.0.0.1", 0,
                    pki.coordinator().certificatePem(), pki.coordinator().privateKeyPem(), pki.trust(), fed.maxReplyBytes(), 10_000));
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            URI url = URI.create("https://127.0.0.1:" + port);
            for (var e : sites.entrySet()) {
                String id = e.getKey();
                HttpCoordinatorLink link = new HttpCoordinatorLink(url, pki.ca().certificatePem(), pki.identity(id), clientVertx, 60_000);
                SiteNode node = new SiteNode(id, e.getValue(), link, siteLog, SitePolicy.permissive());
                SiteIdentity ident = pki.identity(id);
                node.secureAggregation(new SecAggIdentity(ident.privateKey(), ident.certificatePem(), pki.trust()::verifiedSiteKey));
                siteRuns.add(pool.submit(() -> {
                    try (node; link) {
                        node.run();
                    }
                    return null;
                }));
            }
            result = run.run();
            run.awaitSitesFinished(30_000);
            for (Future<?> f : siteRuns) f.get(60, TimeUnit.SECONDS);
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        Map<String, int[]> sizes = new LinkedHashMap<>();
        for (var e : sites.entrySet()) sizes.put(e.getKey(), new int[] {e.getValue().trainSize(), e.getValue().testSize()});
        if (result.finalGlobal() == null) {
            return new Result(sc.seed(), result.status(), result, null, null, null, Map.of(), sizes, (System.nanoTime() - t0) / 1e9);
        }
        // reference figures and baselines on the same splits, harmonised with the same federated statistics
        FeatureStatistics merged = run.globalStatistics();
        Map<String, HarmonisedSequences> data = new TreeMap<>();
        for (var e : sites.entrySet()) data.put(e.getKey(), e.getValue().harmonise(merged));
        ModelSpec spec = sc.modelSpec(layout.apply(merged));
        Figures federated;
        Figures pooled = null;
        Map<String, Figures> local = new TreeMap<>();
        try (Model model = Model.of(spec, sc.seed())) {
            federated = figures(model, result.finalGlobal(), data);
            float[] init = model.initial();
            long baselineSeed = sc.seed() * 31 + 7;
            if (sc.pooledBaseline()) {
                pooled = figures(model, model.trained(init, Model.pooledTrain(data.values()), sc.baselineTraining(), baselineSeed), data);
            }
            if (sc.localBaseline()) {
                for (var e : data.entrySet()) {
                    if (e.getValue().train().size() == 0) continue;
                    local.put(e.getKey(), figures(model, model.trained(init, e.getValue(), sc.baselineTraining(), baselineSeed), data));
                }
            }
        }
        return new Result(sc.seed(), result.status(), result, spec, federated, pooled, local, sizes, (System.nanoTime() - t0) / 1e9);
    }

    /** The global model's starting point once the merged statistics fix the layout. */
    static InitialModel initialModel(LongitudinalScenario sc, SequenceSite.Layout layout, long seed) {
        ModelSpec spec = sc.modelSpec(layout);
        try (Model m = Model.of(spec, seed)) {
            return new InitialModel(spec.canonicalJson(), spec.digest(), m.initial());
        }
    }

    static Figures figures(Model model, float[] params, Map<String, HarmonisedSequences> data) {
        Map<String, SiteFigures> perSite = new TreeMap<>();
        List<float[]> scores = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        int total = 0;
        for (var e : data.entrySet()) {
            float[] y = e.getValue().test().y();
            EvalResult r = model.evaluate(params, e.getValue());
            int pos = 0;
            for (float v : y) if (v == 1f) pos++;
            Double auprc = r.n() > 0 && BinaryMetrics.hasPositive(y) ? BinaryMetrics.auprc(r.scores(), y) : null;
            perSite.put(e.getKey(), new SiteFigures(r.n(), pos, r.auroc(), auprc));
            if (r.n() > 0) {
                scores.add(r.scores());
                labels.add(y);
                total += r.n();
            }
        }
        float[] s = new float[total], y = new float[total];
        int off = 0;
        for (int i = 0; i < scores.size(); i++) {
            System.arraycopy(scores.get(i), 0, s, off, scores.get(i).length);
            System.arraycopy(labels.get(i), 0, y, off, labels.get(i).length);
            off += scores.get(i).length;
        }
        Double auroc = total > 0 && BinaryMetrics.hasBothClasses(y) ? BinaryMetrics.auroc(s, y) : null;
        Double auprc = total > 0 && BinaryMetrics.hasPositive(y) ? BinaryMetrics.auprc(s, y) : null;
        Double acc = total > 0 ? (double) BinaryMetrics.correctAt(s, y, 0.5) / total : null;
        return new Figures(total, auroc, auprc, acc, perSite);
    }

    /** The harness's view of a binary model of either representation (sequences for lstm, summaries otherwise). */
    interface Model extends AutoCloseable {
        float[] initial();

        EvalResult evaluate(float[] params, HarmonisedSequences site);

        TrainResult train(float[] params, HarmonisedSequences site, TrainingSettings s, long seed);

        @Override
        void close();

        default float[] trained(float[] init, HarmonisedSequences site, TrainingSettings s, long seed) {
            TrainResult r = train(init, site, s, seed);
            float[] out = init.clone();
            for (int i = 0; i < out.length; i++) out[i] += r.delta()[i];
            return out;
        }

        static Model of(ModelSpec spec, long seed) {
            if (spec.classes() != ModelSpec.BINARY)
                throw new IllegalArgumentException("longitudinal scenarios report binary figures; model classes must be 2, got " + spec.classes());
            if (spec.isSequence()) {
                SequenceTrainer t = new SequenceTrainer(spec, seed);
                return new Model() {
                    public float[] initial() { return t.initialParameters(); }
                    public EvalResult evaluate(float[] p, HarmonisedSequences d) { return t.evaluate(p, d.test()); }
                    public TrainResult train(float[] p, HarmonisedSequences d, TrainingSettings s, long sd) { return t.train(p, d.train(), s, sd); }
                    public void close() { t.close(); }
                };
            }
            LocalTrainer t = new LocalTrainer(spec, seed);
            return new Model() {
                public float[] initial() { return t.initialParameters(); }
                public EvalResult evaluate(float[] p, HarmonisedSequences d) { return t.evaluate(p, d.summaryTest(), d.test().y()); }
                public TrainResult train(float[] p, HarmonisedSequences d, TrainingSettings s, long sd) {
                    return t.train(p, d.summaryTrain(), d.train().y(), s, sd);
                }
                public void close() { t.close(); }
            };
        }

        /** The union of the sites' training stays (test splits stay empty). */
        static HarmonisedSequences pooledTrain(java.util.Collection<HarmonisedSequences> sites) {
            List<float[][]> x = new ArrayList<>();
            List<Integer> len = new ArrayList<>();
            List<float[]> st = new ArrayList<>();
            List<float[]> sum = new ArrayList<>();
            List<Float> y = new ArrayList<>();
            SequenceSite.Layout layout = null;
            for (HarmonisedSequences h : sites) {
                layout = h.layout();
                SequenceData d = h.train();
                for (int i = 0; i < d.size(); i++) {
                    x.add(d.x()[i]);
                    len.add(d.lengths()[i]);
                    st.add(d.statics()[i]);
                    y.add(d.y()[i]);
                    sum.add(h.summaryTrain()[i]);
                }
            }
            float[] ya = new float[y.size()];
            int[] la = new int[len.size()];
            for (int i = 0; i < ya.length; i++) {
                ya[i] = y.get(i);
                la[i] = len.get(i);
            }
            SequenceData train = new SequenceData(x.toArray(new float[0][][]), la, st.toArray(new float[0][]), ya);
            return new HarmonisedSequences(layout, train, SequenceData.empty(), sum.toArray(new float[0][]), new float[0][]);
        }
    }
}
