package org.fedehr.models;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Trains and evaluates a sequence {@link ModelSpec} (kind {@code lstm}) on one site's {@link SequenceData}, one
 * federated round at a time — the contract of {@link LocalTrainer} for sequences.
 *
 * <p>Input to the network is DL4J's {@code [batch, inputs + statics, steps]} (NCW): the sequence channels
 * followed by the static features repeated at every step. The feature mask {@code [batch, steps]} is 1 for the
 * first {@code lengths[i]} steps and 0 after them; the last LSTM layer is wrapped in {@code LastTimeStep}, which
 * uses that mask to take each example's output at its last valid step. The LSTM is causal, so padded steps after
 * it cannot change a prediction.
 *
 * <p>Same guarantees as {@link LocalTrainer}: one network per instance, built once and reused every round (case
 * C17); every call loads the given parameters and resets the optimiser, so results depend only on the arguments;
 * every public call holds this trainer's lock (C19); returned arrays are fresh copies (C18); with the same spec,
 * init seed, arguments and seed the results are bit-for-bit identical (row order from a {@link SplittableRandom}
 * seeded with {@code seed}, single-threaded native backend).
 */
public final class SequenceTrainer implements AutoCloseable {

    /** Examples per forward pass in evaluation, to bound memory use. */
    private static final int PREDICT_CHUNK = 512;
    private static final double THRESHOLD = 0.5;

    private final ModelSpec spec;
    private final int parameterCount;
    private final MultiLayerNetwork net;
    private final float[] initialParameters;
    private IUpdater installedUpdater;
    private long fitCalls;
    private boolean closed;

    /**
     * Builds the network for {@code spec} (kind lstm) and initialises its parameters from {@code initSeed}
     * (0 is mapped to a fixed non-zero seed, as in {@link LocalTrainer}).
     */
    public SequenceTrainer(ModelSpec spec, long initSeed) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        if (!spec.isSequence()) {
            throw new IllegalArgumentException("SequenceTrainer needs kind lstm, got " + spec.kind());
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
     * Trains from {@code globalParams} and returns {@code delta = newParams - globalParams} (a fresh array), the
     * number of examples and the mean minibatch loss; {@link TrainResult#noData()} without touching the network
     * when there are no examples. Epochs/steps, batch size, optimiser and learning rate as in {@link LocalTrainer}.
     */
    public synchronized TrainResult train(float[] globalParams, SequenceData data, TrainingSettings settings, long seed) {
        ensureOpen();
        checkParams(globalParams, "globalParams");
        checkData(data);
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        int n = data.size();
        if (n == 0) {
            return TrainResult.noData();
        }
        loadParams(globalParams);
        resetOptimizer(settings);
        int batch = Math.min(settings.batchSize(), n);
        int batchesPerPass = (n + batch - 1) / batch;
        long total = settings.epochs() > 0 ? (long) settings.epochs() * batchesPerPass : settings.steps();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("epochs " + settings.epochs() + " with " + batchesPerPass
                    + " minibatches per epoch exceed " + Integer.MAX_VALUE + " steps");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        int steps = 0;
        int pos = n;
        while (steps < total) {
            if (pos >= n) {
                shuffle(order, rng);
                pos = 0;
                net.incrementEpochCount();
            }
            int size = Math.min(batch, n - pos);
            DataSet ds = batch(data, order, pos, size);
            pos += size;
            net.fit(ds);
            fitCalls++;
            lossSum += net.score();
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
     * Evaluates {@code params}: for a binary model accuracy at 0.5, log-loss, AUROC (null with one class) and the
     * scores; for a multi-class one accuracy of the most probable class, cross-entropy and macro one-vs-rest AUROC
     * (scores null). {@link EvalResult#noData()} with no examples.
     */
    public synchronized EvalResult evaluate(float[] params, SequenceData data) {
        ensureOpen();
        checkParams(params, "params");
        checkData(data);
        if (data.size() == 0) {
            return EvalResult.noData();
        }
        float[][] probs = output(params, data);
        float[] y = data.y();
        if (spec.classes() != ModelSpec.BINARY) {
            int k = spec.classes();
            return new EvalResult(data.size(), MultiClassMetrics.correct(probs, y, k),
                    MultiClassMetrics.logLoss(probs, y, k), MultiClassMetrics.macroAuroc(probs, y, k), null);
        }
        float[] scores = new float[probs.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = probs[i][0];
        }
        Double auroc = BinaryMetrics.hasBothClasses(y) ? BinaryMetrics.auroc(scores, y) : null;
        return new EvalResult(scores.length, BinaryMetrics.correctAt(scores, y, THRESHOLD),
                BinaryMetrics.logLoss(scores, y), auroc, scores);
    }

    /** Class probabilities per example ({@code [n][outputs]}; one column for a binary model); fresh arrays. */
    public synchronized float[][] probabilities(float[] params, SequenceData data) {
        ensureOpen();
        checkParams(params, "params");
        checkData(data);
        return data.size() == 0 ? new float[0][] : output(params, data);
    }

    /** Releases the network's native buffers and this thread's workspaces; idempotent. */
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

    /** Number of {@code fit} calls so far (tests only). */
    long fitCalls() {
        return fitCalls;
    }

    private float[][] output(float[] params, SequenceData data) {
        loadParams(params);
        int n = data.size();
        int outputs = spec.outputs();
        float[][] out = new float[n][];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int start = 0; start < n; start += PREDICT_CHUNK) {
            int size = Math.min(PREDICT_CHUNK, n - start);
            DataSet ds = batch(data, all, start, size);
            float[] chunk = toFloats(net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null));
            for (int r = 0; r < size; r++) {
                out[start + r] = Arrays.copyOfRange(chunk, r * outputs, (r + 1) * outputs);
            }
        }
        net.clear();
        return out;
    }

    /** Features {@code [size, inputs + statics, steps]}, feature mask {@code [size, steps]}, labels {@code [size, outputs]}. */
    private DataSet batch(SequenceData data, int[] order, int from, int size) {
        int steps = data.steps();
        int channels = spec.inputs();
        int statics = spec.statics();
        int width = channels + statics;
        int outputs = spec.outputs();
        float[] features = new float[size * width * steps];
        float[] mask = new float[size * steps];
        float[] labels = new float[size * outputs];
        for (int r = 0; r < size; r++) {
            int i = order[from + r];
            float[][] seq = data.x()[i];
            float[] st = data.statics()[i];
            int base = r * width * steps;
            for (int t = 0; t < steps; t++) {
                float[] v = seq[t];
                for (int c = 0; c < channels; c++) {
                    features[base + c * steps + t] = v[c];
                }
                for (int s = 0; s < statics; s++) {
                    features[base + (channels + s) * steps + t] = st[s];
                }
            }
            Arrays.fill(mask, r * steps, r * steps + data.lengths()[i], 1f);
            float label = data.y()[i];
            if (outputs == 1) {
                labels[r] = label;
            } else {
                labels[r * outputs + (int) label] = 1f;
            }
        }
        DataSet ds = new DataSet(
                Nd4j.create(features, new long[] {size, width, steps}, 'c'),
                Nd4j.create(labels, new long[] {size, outputs}, 'c'),
                Nd4j.create(mask, new long[] {size, steps}, 'c'),
                null);
        return ds;
    }

    private void loadParams(float[] params) {
        net.setParams(Nd4j.create(params, new long[] {1, parameterCount}, 'c')); // copied into the network
    }

    /** As {@link LocalTrainer}: installs the round's optimiser and zeroes its state and the counters. */
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
            net.setUpdater(null);
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
        if (conf instanceof BaseWrapperLayer wrapper) {
            setUpdater(wrapper.getUnderlying(), updater);
            return;
        }
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

    private void checkData(SequenceData data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (data.size() == 0) {
            return;
        }
        if (data.channels() != spec.inputs()) {
            throw new IllegalArgumentException("data has " + data.channels() + " channels per step but the model has "
                    + spec.inputs() + " inputs");
        }
        if (data.staticCount() != spec.statics()) {
            throw new IllegalArgumentException("data has " + data.staticCount() + " static features but the model has "
                    + spec.statics());
        }
        float[] y = data.y();
        for (int i = 0; i < y.length; i++) {
            if (spec.classes() != ModelSpec.BINARY) {
                MultiClassMetrics.checkLabel(y[i], i, spec.classes(), "y");
            } else if (y[i] != 0f && y[i] != 1f) {
                throw new IllegalArgumentException("y[" + i + "] must be 0 or 1");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
    }

    private static float[] toFloats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
