package org.fedehr.models;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Trains and evaluates one {@link ModelSpec} on one site's data, one federated round at a time.
 *
 * <p>One instance per site. It owns exactly one DL4J {@link MultiLayerNetwork}, built once in the
 * constructor and reused by every call (building a network per round grows native memory). Every
 * call first copies the given parameters into the network, so results depend only on the
 * arguments, never on earlier calls: the optimiser state (Adam moments, iteration counter) is reset
 * at the start of every {@link #train} call.
 *
 * <p><b>Thread safety (case C19).</b> The one network is never used by two threads at once: every public
 * call holds this trainer's lock, and since each call starts from the parameters it is given, a trainer shared
 * by two threads gives exactly the results of the same calls made serially (they queue; for parallel speed,
 * give each concurrent site its own instance, as site nodes do).
 *
 * <p>Determinism: for the same spec, init seed, arguments and seed, {@link #train} returns
 * bit-for-bit identical results. Row order is shuffled with a {@link SplittableRandom} seeded from
 * the {@code seed} argument; nothing else in training is random (no dropout). This assumes the
 * native backend runs single-threaded ({@code OMP_NUM_THREADS=1}), as configured for tests and
 * recommended when several sites train side by side.
 *
 * <p>All arrays returned are fresh copies: changing them does not affect the trainer, and later
 * calls do not change them. Arrays passed in are only read.
 *
 * <p>Error messages name indices and sizes but never data values.
 */
public final class LocalTrainer implements AutoCloseable {

    /** Rows per forward pass in {@link #predict} and {@link #evaluate}, to bound memory use. */
    private static final int PREDICT_CHUNK = 4096;
    private static final double THRESHOLD = 0.5;

    private final ModelSpec spec;
    private final int parameterCount;
    private final MultiLayerNetwork net;
    private final float[] initialParameters;
    private IUpdater installedUpdater;
    private long fitCalls;
    private boolean closed;
    private GaussianNoise noise;
    private DenseGradients dense;
    /** Per-row gradients from DL4J batch-of-one backward passes instead of {@link DenseGradients} (tests, benchmark). */
    private boolean dl4jPerExample;

    /**
     * Builds the network for {@code spec} and initialises its parameters from {@code initSeed}.
     *
     * @param spec     the model
     * @param initSeed seed for the initial parameters; 0 is allowed and is mapped to a fixed non-zero
     *                 seed (DL4J can treat 0 as "unseeded"), so it is as deterministic as any other
     */
    public LocalTrainer(ModelSpec spec, long initSeed) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        if (spec.isSequence()) {
            throw new IllegalArgumentException("kind " + spec.kind() + " reads sequences: use SequenceTrainer");
        }
        this.spec = spec;
        this.parameterCount = spec.parameterCount();
        this.net = NetworkFactory.build(spec, initSeed);
        this.initialParameters = toFloats(net.params());
    }

    /** The model this trainer was built for. */
    public ModelSpec spec() {
        return spec;
    }

    /** The initial parameters for {@code (spec, initSeed)}; a fresh copy on every call. */
    public synchronized float[] initialParameters() {
        ensureOpen();
        return initialParameters.clone();
    }

    /**
     * Trains from {@code globalParams} on the local data and returns the parameter change.
     *
     * <p>With no rows, returns {@link TrainResult#noData()} without touching the network. Otherwise
     * loads the parameters, resets the optimiser, shuffles the rows with a generator seeded from
     * {@code seed}, fits the minibatches described by {@code settings} and returns
     * {@code delta = newParams - globalParams} as a fresh array, {@code numExamples = x.length}, and
     * the mean minibatch training loss.
     *
     * @param globalParams flat parameters, length {@link ModelSpec#parameterCount()}, all finite
     * @param x            rows of features, each of length {@link ModelSpec#inputs()}, all finite
     * @param y            labels, 0 or 1, one per row
     * @param settings     epochs or steps, batch size, optimiser and learning rate
     * @param seed         seed for the row shuffling
     * @throws IllegalArgumentException if any argument has the wrong shape or an invalid value
     */
    public synchronized TrainResult train(float[] globalParams, float[][] x, float[] y, TrainingSettings settings, long seed) {
        return train(globalParams, x, y, null, settings, seed, null);
    }

    /**
     * {@link #train(float[], float[][], float[], TrainingSettings, long)} with survival times: for a survival
     * ({@code cox}) spec, {@code y} holds the event indicators (1 = event, 0 = censored) and {@code time} the times,
     * and each minibatch's labels are (time, event) pairs for {@link CoxLoss}; for other specs {@code time} must be null.
     */
    public synchronized TrainResult train(float[] globalParams, float[][] x, float[] y, float[] time, TrainingSettings settings,
                                          long seed) {
        return train(globalParams, x, y, time, settings, seed, null);
    }

    /**
     * {@link #train(float[], float[][], float[], TrainingSettings, long)} with every SGD step changed by
     * {@code correction} (FedProx, SCAFFOLD, Ditto): DL4J fits the minibatch as usual (w' = w − lr·∇F(w), the same
     * step as plain training), then the correction's part is subtracted, w' −= lr·(μ·(w − anchor) + drift), and w' is
     * loaded back; since SGD is linear in the gradient this is exactly one step on the corrected gradient. A null
     * correction is plain training. The optimiser must be {@code sgd}.
     */
    public synchronized TrainResult train(float[] globalParams, float[][] x, float[] y, TrainingSettings settings, long seed,
                                          SgdCorrection correction) {
        return train(globalParams, x, y, null, settings, seed, correction);
    }

    /** Training with survival times (or null) and a corrected SGD step (or null); see the overloads above. */
    public synchronized TrainResult train(float[] globalParams, float[][] x, float[] y, float[] time, TrainingSettings settings,
                                          long seed, SgdCorrection correction) {
        ensureOpen();
        checkParams(globalParams, "globalParams");
        checkData(x, y);
        checkTimes(time, y);
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (correction != null) {
            correction.check(parameterCount);
            if (!TrainingSettings.SGD.equals(settings.optimizer()))
                throw new IllegalArgumentException("a corrected SGD step (FedProx, SCAFFOLD, Ditto) needs optimizer sgd, got \""
                        + settings.optimizer() + "\"");
        }
        int n = x.length;
        if (n == 0) {
            return TrainResult.noData();
        }
        loadParams(globalParams);
        float[] before = correction == null ? null : globalParams.clone();
        resetOptimizer(settings);

        int batch = Math.min(settings.batchSize(), n);
        int batchesPerPass = (n + batch - 1) / batch;
        long total = settings.epochs() > 0 ? (long) settings.epochs() * batchesPerPass : settings.steps();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("epochs " + settings.epochs() + " with " + batchesPerPass
                    + " minibatches per epoch exceed " + Integer.MAX_VALUE + " steps");
        }
        int inputs = spec.inputs();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = identity(n);
        double lossSum = 0;
        int steps = 0;
        int pos = n; // forces a shuffle before the first batch
        while (steps < total) {
            if (pos >= n) {
                shuffle(order, rng);
                pos = 0;
                net.incrementEpochCount();
            }
            int size = Math.min(batch, n - pos);
            float[] features = new float[size * inputs];
            int labelWidth = time == null ? spec.outputs() : 2;   // survival: (time, event) per row; multi-class: one-hot
            float[] labels = new float[size * labelWidth];
            for (int r = 0; r < size; r++) {
                int row = order[pos + r];
                System.arraycopy(x[row], 0, features, r * inputs, inputs);
                if (time != null) {
                    labels[2 * r] = time[row];
                    labels[2 * r + 1] = y[row];
                } else if (labelWidth == 1) {
                    labels[r] = y[row];
                } else {
                    labels[r * labelWidth + (int) y[row]] = 1f; // one-hot class index
                }
            }
            pos += size;
            DataSet ds = new DataSet(
                    Nd4j.create(features, new long[] {size, inputs}, 'c'),
                    Nd4j.create(labels, new long[] {size, labelWidth}, 'c'));
            net.fit(ds);
            fitCalls++;
            lossSum += net.score();
            if (correction != null) {
                float[] after = toFloats(net.params());
                correction.apply(before, after, settings.learningRate());
                loadParams(after);
                before = after;
            }
            steps++;
        }
        float[] updated = toFloats(net.params());
        float[] delta = new float[parameterCount];
        for (int i = 0; i < parameterCount; i++) {
            delta[i] = updated[i] - globalParams[i];
        }
        return new TrainResult(delta, n, lossSum / steps, steps);
    }

    /**
     * DP-SGD (Abadi et al. 2016): trains from {@code globalParams} with per-row gradient clipping and Gaussian
     * noise, and returns the parameter change with what the privacy accountant needs ({@code q}, steps, σ).
     *
     * <p>Number of steps: with {@code epochs > 0}, {@code epochs * ceil(n / b)} where {@code b = min(batchSize, n)};
     * with {@code steps > 0}, exactly that many. Each step:
     * <ol>
     *   <li>samples a batch: under {@code poisson} every row independently with probability {@code q = b / n}
     *       (from a {@link SplittableRandom} seeded with {@code seed}: sampling is not the privacy noise and is
     *       reproducible); under {@code shuffle}, the next {@code b} rows of a shuffled pass;</li>
     *   <li>for every sampled row, computes its own gradient — an exact forward and backward pass for that row alone
     *       ({@link DenseGradients}, in Java; equal to DL4J's {@code computeGradientAndScore} on a batch of that one
     *       row, which {@code dl4jPerExampleGradients(true)} uses instead) — and scales it to L2 norm at most C;</li>
     *   <li>sums the clipped gradients and adds N(0, σ²C²) to every coordinate, drawn from {@link java.security.SecureRandom};</li>
     *   <li>divides by {@code q * n} (poisson, the expected batch size, a constant independent of the data) or by the
     *       batch size (shuffle); adds the L2 penalty's gradient {@code l2 * w} for weights (not biases) when the spec has
     *       {@code l2 > 0} — it does not depend on the data, so it is neither clipped nor noised;</li>
     *   <li>applies {@code params -= learningRate * g} to its own copy of the flat parameters and loads them into the
     *       network with {@code setParams} (a copy, never a view).</li>
     * </ol>
     * An empty Poisson batch still takes a step (noise only), as the analysis assumes.
     *
     * <p>Everything except the noise is deterministic in {@code (arguments, seed)}; with {@code noiseMultiplier 0} the
     * result is reproducible bit for bit. The optimiser must be {@code sgd} (the noisy gradient is applied directly).
     * Non-private {@link #train} is unchanged by this method.
     *
     * @throws IllegalArgumentException if any argument has the wrong shape or an invalid value, or the optimiser
     *                                  is not {@code sgd}
     */
    public synchronized DpTrainResult trainDp(float[] globalParams, float[][] x, float[] y, TrainingSettings settings,
                                              DpSgdSettings dp, long seed) {
        ensureOpen();
        if (noise == null) {
            noise = GaussianNoise.secure();
        }
        return trainDp(globalParams, x, y, settings, dp, seed, noise);
    }

    /** {@link #trainDp} with the given noise source (tests substitute broken sources). */
    synchronized DpTrainResult trainDp(float[] globalParams, float[][] x, float[] y, TrainingSettings settings,
                                       DpSgdSettings dp, long seed, GaussianNoise noiseSource) {
        ensureOpen();
        checkParams(globalParams, "globalParams");
        checkData(x, y);
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (dp == null) {
            throw new IllegalArgumentException("dp settings must not be null");
        }
        if (!TrainingSettings.SGD.equals(settings.optimizer())) {
            throw new IllegalArgumentException("DP-SGD needs optimizer sgd, got \"" + settings.optimizer() + "\"");
        }
        if (spec.survival()) {
            throw new IllegalArgumentException("DP-SGD is not available for kind " + spec.kind()
                    + " (its loss couples the rows of a batch, so per-row clipping does not bound a row's influence)");
        }
        if (spec.classes() != ModelSpec.BINARY) {
            throw new IllegalArgumentException("DP-SGD supports binary models only, got classes " + spec.classes());
        }
        int n = x.length;
        if (n == 0) {
            return DpTrainResult.noData(dp);
        }
        int batch = Math.min(settings.batchSize(), n);
        int batchesPerPass = (n + batch - 1) / batch;
        long total = settings.epochs() > 0 ? (long) settings.epochs() * batchesPerPass : settings.steps();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("epochs " + settings.epochs() + " with " + batchesPerPass
                    + " minibatches per epoch exceed " + Integer.MAX_VALUE + " steps");
        }
        boolean poisson = DpSgdSettings.POISSON.equals(dp.sampling());
        double q = DpSgdSettings.samplingRate(batch, n);
        double clip = dp.clipNorm();
        double std = dp.noiseMultiplier() * clip;
        double lr = settings.learningRate();
        double l2 = spec.l2();
        boolean[] weight = l2 > 0 ? weightMask() : null;

        float[] params = globalParams.clone();
        double[] rowGrad = new double[parameterCount];
        if (dense == null) {
            dense = new DenseGradients(spec);
        }
        double[] sum = new double[parameterCount];
        double[] z = new double[parameterCount];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = identity(n);
        int[] picked = new int[n];
        int pos = n;
        double lossSum = 0;
        long sampled = 0;
        long clipped = 0;
        for (int step = 0; step < total; step++) {
            int size;
            if (poisson) {
                size = 0;
                for (int r = 0; r < n; r++) {
                    if (rng.nextDouble() < q) {
                        picked[size++] = r;
                    }
                }
            } else {
                if (pos >= n) {
                    shuffle(order, rng);
                    pos = 0;
                }
                size = Math.min(batch, n - pos);
                System.arraycopy(order, pos, picked, 0, size);
                pos += size;
            }
            java.util.Arrays.fill(sum, 0.0);
            if (size > 0) {
                if (dl4jPerExample) {
                    loadParams(params);
                }
                for (int k = 0; k < size; k++) {
                    int row = picked[k];
                    double norm;
                    if (dl4jPerExample) {
                        float[] g = perExampleGradient(x[row], y[row]);
                        lossSum += net.score();
                        norm = clipAndAdd(g, clip, sum);
                    } else {
                        lossSum += dense.gradient(params, x[row], y[row], rowGrad);
                        norm = clipAndAdd(rowGrad, clip, sum);
                    }
                    if (norm > clip) {
                        clipped++;
                    }
                }
                sampled += size;
            }
            if (std > 0) {
                noiseSource.fill(z);
                for (int i = 0; i < parameterCount; i++) {
                    sum[i] += std * z[i];
                }
            }
            double divisor = poisson ? q * n : size;
            for (int i = 0; i < parameterCount; i++) {
                double g = sum[i] / divisor;
                if (weight != null && weight[i]) {
                    g += l2 * params[i];
                }
                params[i] = (float) (params[i] - lr * g);
            }
        }
        net.clear();
        loadParams(params);
        float[] delta = new float[parameterCount];
        for (int i = 0; i < parameterCount; i++) {
            delta[i] = params[i] - globalParams[i];
        }
        double meanLoss = sampled > 0 ? lossSum / sampled : Double.NaN;
        TrainResult result = new TrainResult(delta, n, meanLoss, (int) total);
        return new DpTrainResult(result, q, dp.noiseMultiplier(), clip, dp.sampling(), sampled, clipped);
    }

    /**
     * The gradient of the training loss (binary cross-entropy, without the L2 penalty) at the network's current
     * parameters for one row: a DL4J forward and backward pass on a batch of one; a fresh array in the flat
     * parameter layout. The network's score afterwards is this row's loss.
     */
    float[] perExampleGradient(float[] row, float label) {
        net.setInput(Nd4j.create(row, new long[] {1, row.length}, 'c'));
        net.setLabels(Nd4j.create(new float[] {label}, new long[] {1, 1}, 'c'));
        net.computeGradientAndScore();
        return toFloats(net.gradient().gradient()); // a copy: the gradient is a view of the network's buffer
    }

    /** {@link #perExampleGradient(float[], float)} at the given parameters (tests). */
    synchronized float[] perExampleGradient(float[] params, float[] row, float label) {
        ensureOpen();
        checkParams(params, "params");
        loadParams(params);
        return perExampleGradient(row, label);
    }

    /** Computes DP-SGD's per-row gradients with DL4J batch-of-one passes (true) or {@link DenseGradients} (false, default). */
    synchronized void dl4jPerExampleGradients(boolean on) {
        dl4jPerExample = on;
    }

    /** {@link #clipAndAdd(float[], double, double[])} for a double gradient. */
    static double clipAndAdd(double[] g, double clip, double[] sum) {
        double sq = 0;
        for (double v : g) {
            sq += v * v;
        }
        double norm = Math.sqrt(sq);
        double factor = norm > clip ? clip / norm : 1.0;
        for (int i = 0; i < g.length; i++) {
            sum[i] += g[i] * factor;
        }
        return norm;
    }

    /**
     * Scales {@code g} to L2 norm at most {@code clip} (factor {@code min(1, clip / ||g||)}) and adds it to
     * {@code sum}; returns the norm of {@code g} before clipping.
     */
    static double clipAndAdd(float[] g, double clip, double[] sum) {
        double sq = 0;
        for (float v : g) {
            sq += (double) v * v;
        }
        double norm = Math.sqrt(sq);
        double factor = norm > clip ? clip / norm : 1.0;
        for (int i = 0; i < g.length; i++) {
            sum[i] += g[i] * factor;
        }
        return norm;
    }

    /** True at the flat indices of weights, false at biases (DL4J layout: per layer W (nIn*nOut) then b (nOut)). */
    boolean[] weightMask() {
        boolean[] mask = new boolean[parameterCount];
        java.util.List<Integer> sizes = spec.layerSizes();
        int at = 0;
        for (int l = 0; l + 1 < sizes.size(); l++) {
            int w = sizes.get(l) * sizes.get(l + 1);
            java.util.Arrays.fill(mask, at, at + w, true);
            at += w + sizes.get(l + 1);
        }
        return mask;
    }

    /**
     * Evaluates {@code params} on the data: accuracy at threshold 0.5 ({@code score >= 0.5} is
     * positive), mean log-loss, AUROC (null with a single class) and the scores. With no rows,
     * returns {@link EvalResult#noData()}.
     *
     * @throws IllegalArgumentException if any argument has the wrong shape or an invalid value
     */
    public synchronized EvalResult evaluate(float[] params, float[][] x, float[] y) {
        return evaluate(params, x, y, null);
    }

    /**
     * {@link #evaluate(float[], float[][], float[])} with survival times. For a survival ({@code cox}) spec, {@code y}
     * holds the events and {@code time} the times; the result has the concordance index
     * ({@link SurvivalMetrics#concordanceIndex}, null when no pair is comparable), the mean negative partial
     * log-likelihood over all rows as its loss ({@link CoxPartialLikelihood}, risk sets over the whole set), the risk
     * scores, {@code correct} 0 and no AUROC. For other specs {@code time} must be null.
     */
    public synchronized EvalResult evaluate(float[] params, float[][] x, float[] y, float[] time) {
        ensureOpen();
        checkParams(params, "params");
        checkData(x, y);
        checkTimes(time, y);
        if (x.length == 0) {
            return EvalResult.noData();
        }
        if (spec.classes() != ModelSpec.BINARY) {
            float[][] probs = probabilities(params, x);
            int k = spec.classes();
            return new EvalResult(x.length, MultiClassMetrics.correct(probs, y, k),
                    MultiClassMetrics.logLoss(probs, y, k), MultiClassMetrics.macroAuroc(probs, y, k), null);
        }
        if (spec.survival()) {
            float[] risk = scores(params, x);
            double[] s = new double[risk.length];
            double[] t = new double[risk.length];
            double[] e = new double[risk.length];
            for (int i = 0; i < risk.length; i++) {
                s[i] = risk[i];
                t[i] = time[i];
                e[i] = y[i];
            }
            double loss = CoxPartialLikelihood.meanLoss(s, t, e);
            return new EvalResult(x.length, 0, loss, null, risk, SurvivalMetrics.concordanceIndex(risk, time, y));
        }
        float[] scores = scores(params, x);
        Double auroc = BinaryMetrics.hasBothClasses(y) ? BinaryMetrics.auroc(scores, y) : null;
        return new EvalResult(x.length, BinaryMetrics.correctAt(scores, y, THRESHOLD),
                BinaryMetrics.logLoss(scores, y), auroc, scores);
    }

    /**
     * Probability of the positive class for every row, in input order; a fresh array.
     *
     * @throws IllegalArgumentException if any argument has the wrong shape or an invalid value
     */
    public synchronized float[] predict(float[] params, float[][] x) {
        ensureOpen();
        if (spec.classes() != ModelSpec.BINARY) {
            throw new IllegalStateException("predict gives one probability per row: use probabilities for "
                    + spec.classes() + " classes");
        }
        checkParams(params, "params");
        checkFeatures(x);
        if (x.length == 0) {
            return new float[0];
        }
        return scores(params, x);
    }

    /**
     * Class probabilities for every row ({@code [rows][outputs]}: one column, the positive class, for a binary
     * model); fresh arrays. With multi-class evaluation, {@link EvalResult#auroc()} is the macro one-vs-rest AUROC
     * and {@link EvalResult#scores()} is null.
     */
    public synchronized float[][] probabilities(float[] params, float[][] x) {
        ensureOpen();
        checkParams(params, "params");
        checkFeatures(x);
        loadParams(params);
        int inputs = spec.inputs();
        int outputs = spec.outputs();
        float[][] out = new float[x.length][];
        for (int start = 0; start < x.length; start += PREDICT_CHUNK) {
            int size = Math.min(PREDICT_CHUNK, x.length - start);
            float[] features = new float[size * inputs];
            for (int r = 0; r < size; r++) {
                System.arraycopy(x[start + r], 0, features, r * inputs, inputs);
            }
            float[] chunk = toFloats(net.output(Nd4j.create(features, new long[] {size, inputs}, 'c'), false));
            for (int r = 0; r < size; r++) {
                out[start + r] = java.util.Arrays.copyOfRange(chunk, r * outputs, (r + 1) * outputs);
            }
        }
        return out;
    }

    /**
     * Releases the network's native buffers (parameters, gradients, optimiser state) and, through
     * DL4J's {@code MultiLayerNetwork.close()}, destroys the ND4J workspaces of the calling thread
     * (those are per thread and shared by every network used on it; they are recreated on demand).
     * Workspaces of other threads that used this trainer are released when those threads end.
     * Idempotent; any other call after {@code close()} throws {@link IllegalStateException}.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            net.close();
        }
    }

    /** The single network this trainer owns (tests only). */
    MultiLayerNetwork network() {
        return net;
    }

    /** Number of {@code fit} calls made so far (tests only). */
    long fitCalls() {
        return fitCalls;
    }

    private float[] scores(float[] params, float[][] x) {
        loadParams(params);
        int inputs = spec.inputs();
        float[] out = new float[x.length];
        for (int start = 0; start < x.length; start += PREDICT_CHUNK) {
            int size = Math.min(PREDICT_CHUNK, x.length - start);
            float[] features = new float[size * inputs];
            for (int r = 0; r < size; r++) {
                System.arraycopy(x[start + r], 0, features, r * inputs, inputs);
            }
            INDArray output = net.output(Nd4j.create(features, new long[] {size, inputs}, 'c'), false);
            float[] chunk = toFloats(output);
            System.arraycopy(chunk, 0, out, start, size);
        }
        return out;
    }

    private void loadParams(float[] params) {
        net.setParams(Nd4j.create(params, new long[] {1, parameterCount}, 'c')); // copied into the network
    }

    /**
     * Installs the optimiser named by {@code settings} (rebuilding DL4J's updater only when the
     * optimiser or learning rate changed) and zeroes its state and the iteration/epoch counters, so
     * that every round starts from a fresh optimiser.
     */
    private void resetOptimizer(TrainingSettings settings) {
        IUpdater wanted = TrainingSettings.ADAM.equals(settings.optimizer())
                ? new Adam(settings.learningRate())
                : new Sgd(settings.learningRate());
        if (!wanted.equals(installedUpdater)) {
            for (int i = 0; i < net.getnLayers(); i++) {
                setUpdater(net.getLayerWiseConfigurations().getConf(i).getLayer(), wanted);
                Layer layer = net.getLayer(i);
                setUpdater(layer.conf().getLayer(), wanted);
            }
            net.setUpdater(null); // drop the old updater; the next getUpdater() builds one from the config
            installedUpdater = wanted;
        }
        Updater updater = net.getUpdater();
        INDArray state = updater.getStateViewArray();
        if (state != null) {
            state.assign(0);
        }
        net.setIterationCount(0);
        net.setEpochCount(0);
    }

    private static void setUpdater(org.deeplearning4j.nn.conf.layers.Layer conf, IUpdater updater) {
        if (!(conf instanceof BaseLayer base)) {
            throw new IllegalStateException("unexpected layer type " + conf.getClass().getSimpleName());
        }
        base.setIUpdater(updater.clone());
        base.setBiasUpdater(null);
    }

    private void checkParams(float[] params, String name) {
        if (params == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (params.length != parameterCount) {
            throw new IllegalArgumentException(name + " has length " + params.length + " but the model spec "
                    + spec.digest().substring(0, 12) + " has " + parameterCount + " parameters");
        }
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite");
            }
        }
    }

    private void checkFeatures(float[][] x) {
        if (x == null) {
            throw new IllegalArgumentException("x must not be null");
        }
        int inputs = spec.inputs();
        for (int r = 0; r < x.length; r++) {
            float[] row = x[r];
            if (row == null) {
                throw new IllegalArgumentException("x[" + r + "] must not be null");
            }
            if (row.length != inputs) {
                throw new IllegalArgumentException("x[" + r + "] has length " + row.length
                        + " but the model has " + inputs + " inputs");
            }
            for (int c = 0; c < inputs; c++) {
                if (!Float.isFinite(row[c])) {
                    throw new IllegalArgumentException("x[" + r + "][" + c + "] is not finite");
                }
            }
        }
    }

    private void checkData(float[][] x, float[] y) {
        checkFeatures(x);
        if (y == null) {
            throw new IllegalArgumentException("y must not be null");
        }
        if (y.length != x.length) {
            throw new IllegalArgumentException("y has length " + y.length + " but x has " + x.length + " rows");
        }
        for (int i = 0; i < y.length; i++) {
            if (spec.classes() != ModelSpec.BINARY) {
                MultiClassMetrics.checkLabel(y[i], i, spec.classes(), "y");
            } else if (y[i] != 0f && y[i] != 1f) {
                throw new IllegalArgumentException("y[" + i + "] must be 0 or 1");
            }
        }
    }

    /** Times are required (one finite value >= 0 per row) for a survival spec and forbidden otherwise. */
    private void checkTimes(float[] time, float[] y) {
        if (!spec.survival()) {
            if (time != null) {
                throw new IllegalArgumentException("survival times given, but kind " + spec.kind() + " is not a survival model");
            }
            return;
        }
        if (time == null) {
            throw new IllegalArgumentException("kind " + spec.kind() + " needs survival times (time must not be null)");
        }
        if (time.length != y.length) {
            throw new IllegalArgumentException("time has length " + time.length + " but y has " + y.length);
        }
        for (int i = 0; i < time.length; i++) {
            if (!(time[i] >= 0) || Float.isInfinite(time[i])) {
                throw new IllegalArgumentException("time[" + i + "] must be finite and >= 0");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
    }

    /** Copies an array's values in row-major order into a new float[]. */
    private static float[] toFloats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher–Yates shuffle driven by {@code rng}. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
