package org.fedehr.simulations.inprocess;

import org.fedehr.coordinator.Aggregation;
import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.FedAvg;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.InitialModel;
import org.fedehr.coordinator.RoundPolicy;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.coordinator.SiteUpdate;
import org.fedehr.coordinator.Strategy;
import org.fedehr.models.EvalResult;
import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.FittedHarmonizer;
import org.fedehr.site.data.Row;
import org.fedehr.site.policy.SitePolicy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
import java.util.UUID;

/**
 * {@code fedehr bench simulate}: an in-process federation of many synthetic sites ({@link SyntheticLogisticSites}),
 * each training a logistic regression for one local epoch of SGD (batch 10, learning rate 0.1) per round, FedAvg at
 * the coordinator, all through the real {@link FederationRun} and {@link SiteNode} code (statistics phase for the
 * harmonisation, instructions, model downloads, encoded replies, validation). Secure aggregation is off: its pairwise
 * key agreement is O(n^2) in the number of sites. Federated evaluation is off unless asked for (the sites hold no test
 * rows); the final model is measured on rows held out from every site.
 */
public final class ScaleBenchmark {
    /** The workload's training plan: 1 epoch of SGD, batch 10, learning rate 0.1. */
    public static final TrainingPlan PLAN = new TrainingPlan(1, 0, 10, "sgd", 0.1);
    static final int HELD_OUT_ROWS = 10_000;

    /**
     * @param loadAtStart the machine's 1-minute load average when the benchmark started (reported as is; null if unknown)
     */
    public record Options(int sites, int rounds, int workers, long seed, boolean federatedEvaluation, Double loadAtStart) {
        public Options(int sites, int rounds, int workers, long seed, boolean federatedEvaluation) {
            this(sites, rounds, workers, seed, federatedEvaluation, loadAverage());
        }

        public Options {
            if (sites < 1) throw new IllegalArgumentException("sites must be >= 1, was " + sites);
            if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, was " + workers);
            if (seed == 0) throw new IllegalArgumentException("seed must not be 0 (DL4J treats seed 0 as 'no seed')");
        }
    }

    /** What one benchmark run measured, and the run itself (for tests). */
    public record Outcome(Map<String, Object> report, RunResult result, InProcessFederation federation, FederationRun run) {
    }

    private ScaleBenchmark() {
    }

    /** Runs the benchmark; the report's keys are in a fixed order, with {@code seconds} measured from JVM start. */
    public static Outcome run(Options o, RunListener listener) throws InterruptedException {
        long t0 = System.nanoTime();
        SyntheticLogisticSites data = new SyntheticLogisticSites(o.seed());
        List<String> ids = new ArrayList<>(o.sites());
        for (int i = 0; i < o.sites(); i++) ids.add(SyntheticLogisticSites.siteId(i, o.sites()));
        Strategy strategy = o.federatedEvaluation() ? new FedAvg() : new WithoutFederatedEvaluation(new FedAvg());
        // every site must answer every phase; the deadline only guards against a hang
        RoundPolicy policy = new RoundPolicy(o.rounds(), o.sites(), o.sites(), Duration.ofHours(2), Duration.ZERO, Duration.ofMinutes(5));
        RunSettings settings = new RunSettings(new UUID(o.seed(), "bench-simulate".hashCode()), policy, strategy, PLAN, o.seed(), false);
        FederationRun run = new FederationRun(settings, stats -> initialModel(data, stats, o.seed()), listener, Clock.systemUTC());
        InProcessFederation fed = new InProcessFederation(run, ids, (id, link) -> {
            int index = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            return new SiteNode(id, data.dictionary(), data.siteRows(index), link, SiteListener.NONE, SitePolicy.permissive());
        }, o.workers(), SiteListener.NONE);
        RunResult result = fed.run();
        double runSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sites", o.sites());
        r.put("rounds", o.rounds());
        double sinceJvmStart = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        r.put("seconds", round3(sinceJvmStart));
        r.put("run_seconds", round3(runSeconds));
        long siteRounds = 0;
        for (RoundRecord rec : result.rounds()) siteRounds += rec.contributed().size();
        r.put("site_rounds", siteRounds);
        r.put("site_rounds_per_second", round3(siteRounds / sinceJvmStart));
        r.put("site_rounds_per_second_run", round3(siteRounds / runSeconds));
        r.put("cpu_seconds", cpuSeconds());
        r.put("peak_rss_mb", procStatusMb("VmHWM"));
        r.put("peak_heap_mb", peakHeapMb());
        r.put("workers", o.workers());
        r.put("peak_dl4j_networks", fed.peakNetworks());
        r.put("peak_materialised_sites", fed.peakMaterialisedSites());
        r.put("status", result.status());
        r.put("completed", result.status().startsWith("completed") && result.rounds().stream().allMatch(RoundRecord::updated));
        r.put("training_rows", run.globalStatistics() == null ? 0 : run.globalStatistics().rows());
        r.put("secure_aggregation", false);
        r.put("federated_evaluation", o.federatedEvaluation());
        r.put("bytes_up", result.bytesUp());
        r.put("bytes_down", result.bytesDown());
        if (result.finalGlobal() != null) {
            List<Row> test = data.heldOut(HELD_OUT_ROWS);
            FittedHarmonizer h = FittedHarmonizer.fit(data.dictionary(), run.globalStatistics());
            float[][] x = h.transform(test);
            float[] y = FittedHarmonizer.labels(test);
            ModelSpec spec = ModelSpec.logistic(h.width());
            try (LocalTrainer t = new LocalTrainer(spec, o.seed())) {
                EvalResult initial = t.evaluate(t.initialParameters(), x, y);
                EvalResult fin = t.evaluate(result.finalGlobal(), x, y);
                r.put("held_out_rows", test.size());
                r.put("initial_accuracy", round4(initial.accuracy()));
                r.put("final_accuracy", round4(fin.accuracy()));
                r.put("final_auroc", fin.auroc() == null ? null : round4(fin.auroc()));
                r.put("true_model_accuracy", round4(data.trueModelAccuracy(test)));
            }
            r.put("parameters_sha256", sha256(result.finalGlobal()));
        }
        r.put("java", System.getProperty("java.version"));
        r.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        r.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("load_average_start", o.loadAtStart());
        r.put("load_average_end", loadAverage());
        return new Outcome(r, result, fed, run);
    }

    static InitialModel initialModel(SyntheticLogisticSites data, FeatureStatistics stats, long seed) {
        int width = FittedHarmonizer.fit(data.dictionary(), stats).width();
        ModelSpec spec = ModelSpec.logistic(width);
        try (LocalTrainer t = new LocalTrainer(spec, seed)) {
            return new InitialModel(spec.canonicalJson(), spec.digest(), t.initialParameters());
        }
    }

    /** FedAvg without the federated evaluation phase (the benchmark's sites hold no test rows). */
    static final class WithoutFederatedEvaluation implements Strategy {
        private final Strategy inner;

        WithoutFederatedEvaluation(Strategy inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<String> configureTrain(int round, List<String> available) {
            return inner.configureTrain(round, available);
        }

        @Override
        public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
            return inner.aggregateTrain(round, global, updates, failures);
        }

        @Override
        public boolean worksOnMeans() {
            return inner.worksOnMeans();
        }

        @Override
        public Aggregation aggregateMean(int round, float[] global, double[] weightedMeanDelta, double totalWeight,
                                         List<String> contributors, List<SiteFailure> failures) {
            return inner.aggregateMean(round, global, weightedMeanDelta, totalWeight, contributors, failures);
        }

        @Override
        public org.fedehr.protocol.msg.LocalAlgorithm localAlgorithm() {
            return inner.localAlgorithm();
        }

        @Override
        public boolean personalised() {
            return inner.personalised();
        }

        @Override
        public List<String> configureEvaluate(int round, List<String> available) {
            return List.of();
        }

        @Override
        public EvaluationSummary aggregateEvaluate(int round, Map<String, EvalMetrics> perSite, List<SiteFailure> failures) {
            return inner.aggregateEvaluate(round, perSite, failures);
        }
    }

    /** A value from /proc/self/status (e.g. VmHWM, the peak resident set) in MB, or null where there is no /proc. */
    public static Double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                    return round1(Long.parseLong(parts[0]) / 1024.0);   // kB
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The machine's 1-minute load average (/proc/loadavg), or null where there is none. */
    public static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU time this process used so far (all threads, user + system), in seconds; null if the JVM does not say. */
    static Double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0)
            return round3(os.getProcessCpuTime() / 1e9);
        return null;
    }

    /** The sum of the heap memory pools' peak usage, in MB (an upper bound of the heap's peak). */
    static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) bytes += p.getPeakUsage().getUsed();
        return round1(bytes / (1024.0 * 1024.0));
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

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
