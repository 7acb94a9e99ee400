package org.fedehr.cli.bench;

import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.codec.MaskedFrame;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SecAggReply;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.secagg.PeerVerifier;
import org.fedehr.protocol.secagg.SecAggConfig;
import org.fedehr.protocol.secagg.SecAggServer;
import org.fedehr.protocol.secagg.SecAggSite;
import org.fedehr.protocol.tls.SelfSignedCertificate;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process benchmark of one secure-aggregation round against a plain FedAvg round over the same synthetic updates.
 * Every message goes through the real wire formats (JSON control messages, reply envelopes, parameter and masked
 * frames), so byte counts are those a deployment would send; site work runs on a pool of min(N, cores) threads, the
 * coordinator's on the calling thread. See {@link #run}.
 */
public final class SecAggBench {

    /** When the dropping sites go silent in a secure round. */
    public enum DropStage {
        /** they upload their masked update but never send reveals (their self-masks are recovered from the others) */
        AFTER_UPLOAD,
        /** they share keys but never upload (the coordinator must recover their pairwise masks) */
        BEFORE_UPLOAD;

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }

        public static DropStage parse(String s) {
            for (DropStage d : values()) if (d.label().equals(s)) return d;
            throw new IllegalArgumentException("drop stage must be after-upload or before-upload, was '" + s + "'");
        }
    }

    public record Options(int sites, int params, int dropouts, DropStage dropStage, int rounds, int warmup, boolean training,
                          long seed, int trainRows) {
        /** The default training cohort of TRAIN_ROWS (64) synthetic rows per site. */
        public Options(int sites, int params, int dropouts, DropStage dropStage, int rounds, int warmup, boolean training, long seed) {
            this(sites, params, dropouts, dropStage, rounds, warmup, training, seed, TRAIN_ROWS);
        }

        public Options {
            if (trainRows < 1) throw new IllegalArgumentException("trainRows must be >= 1, was " + trainRows);
            if (sites < 2) throw new IllegalArgumentException("sites must be >= 2, was " + sites);
            if (params < 1) throw new IllegalArgumentException("params must be >= 1, was " + params);
            if (dropouts < 0 || dropouts > sites - threshold(sites))
                throw new IllegalArgumentException("dropouts must be in [0, " + (sites - threshold(sites)) + "] for " + sites
                        + " sites (threshold " + threshold(sites) + "), was " + dropouts);
            if (dropStage == null) throw new IllegalArgumentException("dropStage must not be null");
            if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
            if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, was " + warmup);
        }
    }

    /** Shamir threshold: a majority (t &gt; n/2), as the coordinator's default. */
    static int threshold(int sites) {
        return Math.max(2, sites / 2 + 1);
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    static final double CLIP = 1.0;
    static final int WEIGHT_CAP = 1024;
    static final int TRAIN_ROWS = 64;
    static final int TRAIN_INPUTS = 64;

    private final Options o;
    private final PrintStream log;
    private final UUID runId;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, PrivateKey> keys = new LinkedHashMap<>();
    private final Map<String, String> certs = new LinkedHashMap<>();
    private final PeerVerifier verifier;
    private final SecAggConfig config;
    private final ExecutorService pool;
    private final ExecutorService maskThreads;
    private final int threads;
    private final String digest;
    /** Per site: the update, its weight. Training mode replaces the update by the trained delta. */
    private final float[][] deltas;
    private final int[] weights;
    private final int length; // P (or the model's parameter count with training)
    private final LocalTrainer[] trainers;
    private final float[] global;
    private final float[][] trainX;
    private final float[] trainY;

    // last-round artefacts used by the checks and micro-measurements
    private SecAggSite lastSite;
    private long lastUploadBytes;
    private long lastDownloadBytes;
    private long lastPlainUploadBytes;
    private double lastUnmaskSeconds;
    private double[] lastStages;
    static final String[] STAGES = {"keys", "shares", "mask_and_upload", "reveals", "unmask"};
    private double[] lastSecureMean;
    private double[] lastPlainMean;
    private SecAggServer.Result lastResult;

    private SecAggBench(Options o, PrintStream log) {
        this.o = o;
        this.log = log;
        this.runId = new UUID(o.seed(), 0x5ec466);
        for (int i = 0; i < o.sites(); i++) ids.add(String.format("site-%03d", i));
        for (String id : ids) {
            SelfSignedCertificate c = SelfSignedCertificate.generate(id, Duration.ofDays(1));
            certs.put(id, c.certificatePem());
            keys.put(id, privateKey(c.privateKeyPem()));
        }
        // As FederationTrust.verifiedSiteKey: the identity check runs on every call, the parsed certificate is cached.
        java.util.concurrent.ConcurrentHashMap<String, java.security.PublicKey> parsed = new java.util.concurrent.ConcurrentHashMap<>();
        this.verifier = (site, pem) -> {
            String issued = certs.get(site);
            if (issued == null || !issued.equals(pem)) throw new CertificateException("certificate of site " + site + " is not the one issued to it");
            java.security.PublicKey known = parsed.get(pem);
            if (known != null) return known;
            X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            parsed.put(pem, x.getPublicKey());
            return x.getPublicKey();
        };
        this.config = SecAggConfig.choose(o.sites(), threshold(o.sites()), CLIP, WEIGHT_CAP, 1e-2);
        this.threads = Math.min(o.sites(), Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> daemon(r, "site-pool-" + n.incrementAndGet()));
        AtomicInteger m = new AtomicInteger();
        this.maskThreads = Executors.newCachedThreadPool(r -> daemon(r, "site-mask-" + m.incrementAndGet()));
        this.weights = new int[o.sites()];
        for (int i = 0; i < o.sites(); i++) weights[i] = 40 + (i * 37) % 200;
        if (o.training()) {
            int hidden = Math.max(1, (int) Math.round((o.params() - 1) / (double) (TRAIN_INPUTS + 2)));
            ModelSpec spec = new ModelSpec(ModelSpec.MLP, TRAIN_INPUTS, List.of(hidden), "relu", 0.0);
            this.length = spec.parameterCount();
            this.digest = spec.digest();
            this.trainers = new LocalTrainer[o.sites()];
            for (int i = 0; i < o.sites(); i++) trainers[i] = new LocalTrainer(spec, o.seed());
            this.global = trainers[0].initialParameters();
            SplittableRandom r = new SplittableRandom(o.seed() ^ 0x7a11);
            trainX = new float[o.trainRows()][TRAIN_INPUTS];
            trainY = new float[o.trainRows()];
            for (int i = 0; i < o.trainRows(); i++) {
                double s = 0;
                for (int j = 0; j < TRAIN_INPUTS; j++) {
                    trainX[i][j] = (float) (r.nextDouble() * 2 - 1);
                    s += trainX[i][j] * (j % 3 - 1);
                }
                trainY[i] = s > 0 ? 1 : 0;
            }
        } else {
            this.length = o.params();
            this.digest = "ab".repeat(32);
            this.trainers = null;
            this.global = null;
            this.trainX = null;
            this.trainY = null;
        }
        this.deltas = new float[o.sites()][];
        for (int i = 0; i < o.sites(); i++) {
            SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + i);
            float[] d = new float[length];
            for (int k = 0; k < length; k++) d[k] = (float) ((r.nextDouble() - 0.5) * 0.02);
            deltas[i] = d;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Runs the benchmark and returns its report (insertion-ordered; see the command's help for the keys). Throws an
     * {@link IllegalStateException} when a secure result differs from the plain weighted mean by more than the
     * quantisation bound.
     */
    public static Map<String, Object> run(Options o, PrintStream log) throws Exception {
        SecAggBench b = new SecAggBench(o, log);
        try {
            return b.measure();
        } finally {
            b.pool.shutdownNow();
            b.maskThreads.shutdownNow();
            if (b.trainers != null) for (LocalTrainer t : b.trainers) t.close();
        }
    }

    private Map<String, Object> measure() throws Exception {
        int round = 0;
        boolean completed = true;
        String failure = null;
        double[] plain = new double[o.rounds()], secure = new double[o.rounds()], unmask = new double[o.rounds()];
        double[] plainT = new double[o.rounds()], secureT = new double[o.rounds()];
        double[][] stages = new double[STAGES.length][o.rounds()];
        double[] plainCpu = new double[o.rounds()], secureCpu = new double[o.rounds()];
        double[] plainTCpu = new double[o.rounds()], secureTCpu = new double[o.rounds()];
        double maxErr = 0, bound = 0;
        Map<String, Long> cpuSnapshot = null;
        try {
            for (int w = 0; w < o.warmup(); w++) {
                plainRound(round, false);
                secureRound(round++, false);
                check();
            }
            for (int r = 0; r < o.rounds(); r++) {
                cpu.clear();
                long c0 = OS.getProcessCpuTime();
                plain[r] = plainRound(round, false);
                long c1 = OS.getProcessCpuTime();
                secure[r] = secureRound(round++, false);
                long c2 = OS.getProcessCpuTime();
                plainCpu[r] = (c1 - c0) / 1e9;
                secureCpu[r] = (c2 - c1) / 1e9;
                unmask[r] = lastUnmaskSeconds;
                for (int k = 0; k < STAGES.length; k++) stages[k][r] = lastStages[k];
                if (r == o.rounds() - 1) cpuSnapshot = new java.util.TreeMap<>(cpu);
                double[] eb = check();
                maxErr = Math.max(maxErr, eb[0]);
                bound = eb[1];
                log.printf("round %d (training excluded): plain %.4f s (%.4f s CPU), secure %.4f s (%.4f s CPU)%n", r, plain[r], plainCpu[r],
                        secure[r], secureCpu[r]);
            }
            if (o.training()) {
                for (int w = 0; w < Math.min(1, o.warmup()); w++) {
                    plainRound(round, true);
                    secureRound(round++, true);
                    check();
                }
                for (int r = 0; r < o.rounds(); r++) {
                    long c0 = OS.getProcessCpuTime();
                    plainT[r] = plainRound(round, true);
                    long c1 = OS.getProcessCpuTime();
                    secureT[r] = secureRound(round++, true);
                    long c2 = OS.getProcessCpuTime();
                    plainTCpu[r] = (c1 - c0) / 1e9;
                    secureTCpu[r] = (c2 - c1) / 1e9;
                    double[] eb = check();
                    maxErr = Math.max(maxErr, eb[0]);
                    log.printf("round %d (with training): plain %.4f s (%.4f s CPU), secure %.4f s (%.4f s CPU)%n", r, plainT[r], plainTCpu[r],
                            secureT[r], secureTCpu[r]);
                }
            }
        } catch (RuntimeException e) {
            completed = false;
            failure = e.getMessage();
            if (e instanceof ResultMismatch) throw e;
            log.println("secure round failed: " + e);
        }
        double maskSeconds = completed ? maskSecondsPerSite() : Double.NaN;
        double floorOneCall = aesCtrFloorSecondsPerSite(false);
        double floorChunked = aesCtrFloorSecondsPerSite(true);
        double floor = Math.min(floorOneCall, floorChunked); // the JCE's best way to make that much keystream

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("sites", o.sites());
        j.put("params", o.params());
        j.put("model_params", length);
        j.put("threshold", config.threshold());
        j.put("dropouts", o.dropouts());
        j.put("drop_stage", o.dropStage().label());
        j.put("rounds", o.rounds());
        j.put("warmup_rounds", o.warmup());
        j.put("site_threads", threads);
        j.put("training", o.training());
        j.put("train_rows", o.training() ? o.trainRows() : null);
        double p = median(plain), s = median(secure);
        j.put("plain_round_seconds", round6(p));
        j.put("secure_round_seconds", round6(s));
        j.put("ratio", round4(s / p));
        j.put("plain_round_cpu_seconds", round6(median(plainCpu)));
        j.put("secure_round_cpu_seconds", round6(median(secureCpu)));
        j.put("ratio_cpu", round4(median(secureCpu) / median(plainCpu)));
        j.put("load_average", round4(OS.getSystemLoadAverage()));
        if (o.training()) {
            double pt = median(plainT), st = median(secureT);
            j.put("plain_round_with_training_seconds", round6(pt));
            j.put("secure_round_with_training_seconds", round6(st));
            j.put("ratio_with_training", round4(st / pt));
            j.put("plain_round_with_training_cpu_seconds", round6(median(plainTCpu)));
            j.put("secure_round_with_training_cpu_seconds", round6(median(secureTCpu)));
            j.put("ratio_with_training_cpu", round4(median(secureTCpu) / median(plainTCpu)));
        } else {
            j.put("plain_round_with_training_seconds", null);
            j.put("secure_round_with_training_seconds", null);
            j.put("ratio_with_training", null);
        }
        j.put("mask_seconds_per_site", round6(maskSeconds));
        j.put("aes_ctr_floor_seconds_per_site", round6(floor));
        j.put("aes_ctr_one_call_seconds_per_site", round6(floorOneCall));
        j.put("aes_ctr_chunked_seconds_per_site", round6(floorChunked));
        j.put("mask_vs_floor", round4(maskSeconds / floor));
        j.put("aes_ctr_gb_per_s", round4(o.sites() * 4.0 * (length + 1) / floor / 1e9));
        j.put("upload_bytes_per_site", lastUploadBytes);
        j.put("download_bytes_per_site", lastDownloadBytes);
        j.put("raw_param_bytes", 4L * length);
        j.put("bytes_ratio", round4(lastUploadBytes / (4.0 * length)));
        j.put("plain_upload_bytes_per_site", lastPlainUploadBytes);
        j.put("bytes_ratio_vs_plain", round4(lastUploadBytes / (double) lastPlainUploadBytes));
        j.put("unmask_seconds", round6(median(unmask)));
        Map<String, Object> st = new LinkedHashMap<>();
        for (int k = 0; k < STAGES.length; k++) st.put(STAGES[k], round6(median(stages[k])));
        j.put("secure_stage_seconds", st);
        Map<String, Object> ops = new LinkedHashMap<>();
        if (cpuSnapshot != null) cpuSnapshot.forEach((k, v) -> ops.put(k, round6(v / 1e9)));
        j.put("cpu_seconds_by_operation_last_round", ops);
        j.put("max_abs_error", maxErr);
        j.put("error_bound", bound);
        j.put("completed", completed);
        if (failure != null) j.put("failure", failure);
        return j;
    }

    // ------------------------------------------------------------------------------------------------ plain round

    private boolean contributes(int i) {
        return !(o.dropStage() == DropStage.BEFORE_UPLOAD && drops(i));
    }

    /** The last D sites drop out. */
    private boolean drops(int i) {
        return i >= o.sites() - o.dropouts();
    }

    private double plainRound(int round, boolean training) throws Exception {
        long t0 = System.nanoTime();
        List<Future<byte[]>> uploads = new ArrayList<>();
        for (int i = 0; i < o.sites(); i++) {
            if (!contributes(i)) continue;
            int site = i;
            uploads.add(pool.submit(() -> {
                float[] delta = training ? train(site, round) : deltas[site];
                ParamFrame f = new ParamFrame(ParamFrame.Kind.UPDATE, runId, round, weights[site], digest, delta);
                return timed("plain.site.encode_upload", () -> new ReplyEnvelope(trained(round, site), f).encode());
            }));
        }
        double[] sum = new double[length];
        double total = 0;
        long bytes0 = -1;
        for (Future<byte[]> u : uploads) {
            byte[] b = u.get();
            if (bytes0 < 0) bytes0 = b.length;
            ReplyEnvelope e = timed("plain.coordinator.decode_upload", () -> ReplyEnvelope.decode(b));
            float[] v = e.update().values();
            double w = e.update().weight();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int k = 0; k < length; k++) sum[k] += w * v[k];
            cpu.merge("plain.coordinator.weighted_sum", CPU.getCurrentThreadCpuTime() - c0, Long::sum);
            total += w;
        }
        for (int k = 0; k < length; k++) sum[k] /= total;
        double sec = (System.nanoTime() - t0) / 1e9;
        lastPlainMean = sum;
        lastPlainUploadBytes = bytes0;
        return sec;
    }

    private SiteReply trained(int round, int site) {
        return new SiteReply(runId, round * 4L + 2, round, TaskKind.TRAIN, ids.get(site), ReplyStatus.OK, null, null,
                new TrainSummary(weights[site], null, 2), null, null);
    }

    /** One local training pass; its delta becomes this round's update of the site (deterministic per site). */
    private float[] train(int site, int round) {
        TrainResult r = trainers[site].train(global, trainX, trainY, TrainingSettings.ofEpochs(1, 32, TrainingSettings.SGD, 0.01),
                o.seed() + site);
        if (r.delta().length != length) throw new IllegalStateException("trained delta has " + r.delta().length + " values, not " + length);
        // the payload stays the site's deterministic synthetic update (same as without training): training is cost here
        return deltas[site];
    }

    // ----------------------------------------------------------------------------------------------- secure round

    private SiteReply secaggReply(int round, int site, TaskKind kind, long seq, SecAggReply payload) {
        return new SiteReply(runId, seq, round, kind, ids.get(site), ReplyStatus.OK, null, null, null, null, null, payload);
    }

    private double secureRound(int round, boolean training) throws Exception {
        int n = o.sites();
        long t0 = System.nanoTime();
        SecAggServer server = new SecAggServer(runId, round, config, ids);
        server.expectLength(length + 1);
        SecAggTask base = SecAggTask.of(config);
        SecAggSite[] sites = new SecAggSite[n];
        long[] up = new long[n], down = new long[n];

        // stage 0: adverts
        byte[] keysTask = Json.bytes(base);
        List<Future<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int site = i;
            down[i] += keysTask.length;
            replies.add(pool.submit(() -> {
                SecAggConfig cfg = timed("site.parse_task", () -> Json.parse(keysTask, SecAggTask.class).config());
                SecAggSite s = new SecAggSite(runId, round, ids.get(site), cfg, keys.get(ids.get(site)), certs.get(ids.get(site)),
                        verifier, new SecureRandom());
                sites[site] = s;
                var advert = timed("site.advertise", s::advertise);
                return timed("site.encode_reply", () -> new ReplyEnvelope(secaggReply(round, site, TaskKind.SECAGG_KEYS, round * 4L,
                        SecAggReply.advert(advert)), null).encode());
            }));
        }
        for (int i = 0; i < n; i++) {
            byte[] b = replies.get(i).get();
            up[i] += b.length;
            ReplyEnvelope e = ReplyEnvelope.decode(b);
            server.acceptAdvert(e.reply().siteId(), e.reply().secagg().advert());
        }
        var u1 = server.closeAdvertising();
        long tKeys = System.nanoTime();

        // stage 1: encrypted shares
        byte[] sharesTask = Json.bytes(base.withRoster(u1));
        replies.clear();
        for (int i = 0; i < n; i++) {
            int site = i;
            down[i] += sharesTask.length;
            replies.add(pool.submit(() -> {
                SecAggTask t = timed("site.parse_task", () -> Json.parse(sharesTask, SecAggTask.class));
                var sh = timed("site.shareKeys", () -> sites[site].shareKeys(t.roster()));
                return timed("site.encode_reply", () -> new ReplyEnvelope(secaggReply(round, site, TaskKind.SECAGG_SHARES, round * 4L + 1,
                        SecAggReply.shares(sh)), null).encode());
            }));
        }
        for (int i = 0; i < n; i++) {
            byte[] b = replies.get(i).get();
            up[i] += b.length;
            ReplyEnvelope e = ReplyEnvelope.decode(b);
            server.acceptShares(e.reply().siteId(), e.reply().secagg().shares());
        }
        List<String> u2 = server.closeSharing();
        long tShares = System.nanoTime();

        // stage 2: train (optionally) while the mask expands, mask, upload
        replies.clear();
        for (int i = 0; i < n; i++) {
            byte[] trainTask = Json.bytes(base.withShares(u2, server.inboxOf(ids.get(i))));
            down[i] += trainTask.length;
            if (!contributes(i)) {
                replies.add(null);
                continue;
            }
            int site = i;
            replies.add(pool.submit(() -> {
                SecAggTask t = timed("site.parse_task", () -> Json.parse(trainTask, SecAggTask.class));
                SecAggSite s = sites[site];
                timed("site.receiveShares", () -> {
                    s.receiveShares(t.sharers(), t.inbox());
                    return null;
                });
                int[] mask;
                float[] delta;
                if (training) {
                    CompletableFuture<int[]> m = CompletableFuture.supplyAsync(() -> s.expandMask(length + 1), maskThreads);
                    delta = train(site, round);
                    mask = m.join();
                } else {
                    mask = timed("site.expandMask", () -> s.expandMask(length + 1));
                    delta = deltas[site];
                }
                int[] maskFinal = mask;
                SecAggSite.MaskedInput in = timed("site.mask", () -> s.maskInPlace(delta, weights[site], maskFinal));
                MaskedFrame f = new MaskedFrame(runId, round, digest, in.values());
                SiteReply r = new SiteReply(runId, round * 4L + 2, round, TaskKind.TRAIN, ids.get(site), ReplyStatus.OK, null, null,
                        new TrainSummary(weights[site], null, 2, in.clippedValues()), null, null);
                return timed("site.encode_masked_upload", () -> ReplyEnvelope.masked(r, f).encode());
            }));
        }
        for (int i = 0; i < n; i++) {
            if (replies.get(i) == null) continue;
            byte[] b = replies.get(i).get();
            up[i] += b.length;
            ReplyEnvelope e = timed("coordinator.decode_masked_upload", () -> ReplyEnvelope.decode(b));
            timed("coordinator.acceptMaskedInput", () -> {
                server.acceptMaskedInput(e.reply().siteId(), e.masked().values());
                return null;
            });
        }
        List<String> u3 = server.closeMasking();
        long tMasked = System.nanoTime();

        // stage 3: reveals
        byte[] unmaskTask = Json.bytes(base.withSurvivors(u3));
        replies.clear();
        for (int i = 0; i < n; i++) {
            if (!u3.contains(ids.get(i))) {
                replies.add(null);
                continue;
            }
            down[i] += unmaskTask.length;
            if (drops(i)) { // after-upload dropouts: never answer
                replies.add(null);
                continue;
            }
            int site = i;
            replies.add(pool.submit(() -> {
                SecAggTask t = timed("site.parse_task", () -> Json.parse(unmaskTask, SecAggTask.class));
                var rv = timed("site.unmask", () -> sites[site].unmask(t.survivors()));
                return timed("site.encode_reply", () -> new ReplyEnvelope(secaggReply(round, site, TaskKind.SECAGG_UNMASK, round * 4L + 3,
                        SecAggReply.reveals(rv)), null).encode());
            }));
        }
        for (int i = 0; i < n; i++) {
            if (replies.get(i) == null) continue;
            byte[] b = replies.get(i).get();
            up[i] += b.length;
            ReplyEnvelope e = ReplyEnvelope.decode(b);
            server.acceptReveals(e.reply().siteId(), e.reply().secagg().reveals());
        }
        long u0 = System.nanoTime();
        SecAggServer.Result result = timed("coordinator.closeUnmasking", server::closeUnmasking);
        double[] mean = timed("coordinator.mean", result::mean);
        long t1 = System.nanoTime();
        lastUnmaskSeconds = (t1 - u0) / 1e9;
        lastStages = new double[] {(tKeys - t0) / 1e9, (tShares - tKeys) / 1e9, (tMasked - tShares) / 1e9, (u0 - tMasked) / 1e9,
                (t1 - u0) / 1e9};
        lastResult = result;
        lastSecureMean = mean;
        lastSite = sites[0];
        lastUploadBytes = up[0];
        lastDownloadBytes = down[0];
        return (t1 - t0) / 1e9;
    }

    static final class ResultMismatch extends IllegalStateException {
        ResultMismatch(String m) {
            super(m);
        }
    }

    /** Secure mean vs plain weighted mean of the contributors; returns {max |error|, bound}; throws when over the bound. */
    private double[] check() {
        double[] s = lastSecureMean, p = lastPlainMean;
        int expected = 0;
        for (int i = 0; i < o.sites(); i++) if (contributes(i)) expected++;
        if (lastResult.contributors().size() != expected)
            throw new ResultMismatch("secure round summed " + lastResult.contributors().size() + " sites, expected " + expected);
        double bound = config.maxMeanError(expected, lastResult.totalWeight()) * (1 + 1e-9) + 1e-12;
        double max = 0;
        int worst = -1;
        for (int k = 0; k < s.length; k++) {
            double d = Math.abs(s[k] - p[k]);
            if (d > max) {
                max = d;
                worst = k;
            }
        }
        if (max > bound)
            throw new ResultMismatch("secure mean differs from the plain weighted mean by " + max + " at element " + worst
                    + " (secure " + s[worst] + ", plain " + p[worst] + "), more than the quantisation bound " + bound);
        return new double[] {max, bound};
    }

    // ------------------------------------------------------------------------------------------ micro-measurements

    /** Median thread CPU time (immune to other processes on a shared machine) of one site's expandMask(P+1) (1 self stream + |U2|-1 pairwise streams), warm, on this thread. */
    private double maskSecondsPerSite() {
        double[] t = new double[7];
        for (int r = 0; r < t.length; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            int[] m = lastSite.expandMask(length + 1);
            t[r] = (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
            if (m[0] == 42) log.print(""); // keep the result alive
        }
        return median(Arrays.copyOfRange(t, 2, t.length));
    }

    /**
     * Median thread CPU time the JCE's AES/CTR/NoPadding needs for N streams of 4(P+1) bytes of keystream, warm, on this thread:
     * one update call per stream into a reused buffer, or (chunked) 32 KiB updates as MaskPrg makes them.
     */
    private double aesCtrFloorSecondsPerSite(boolean chunked) throws Exception {
        int bytes = 4 * (length + 1);
        int chunk = chunked ? 32 * 1024 : bytes;
        byte[] zeros = new byte[chunk];
        byte[] out = new byte[chunk];
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        byte[] key = new byte[16];
        IvParameterSpec iv = new IvParameterSpec(new byte[16]);
        double[] t = new double[9];
        long sink = 0;
        for (int r = 0; r < t.length; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int s = 0; s < o.sites(); s++) {
                key[0] = (byte) s;
                key[1] = (byte) r;
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), iv);
                for (int off = 0; off < bytes; off += chunk) c.update(zeros, 0, Math.min(chunk, bytes - off), out, 0);
                sink += out[7];
            }
            t[r] = (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
        }
        if (sink == 42) log.print("");
        return median(Arrays.copyOfRange(t, 3, t.length));
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    /** Thread CPU nanoseconds per operation, summed over sites, for the current round. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> cpu = new java.util.concurrent.ConcurrentHashMap<>();

    private <T> T timed(String op, java.util.concurrent.Callable<T> work) throws Exception {
        long c0 = CPU.getCurrentThreadCpuTime();
        try {
            return work.call();
        } finally {
            cpu.merge(op, CPU.getCurrentThreadCpuTime() - c0, Long::sum);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double round6(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }

    private static double round4(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }

    private static PrivateKey privateKey(String pem) {
        try {
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
