package org.fedehr.models;

import java.util.Map;
import java.util.Set;

/**
 * How one site trains in one round.
 *
 * <p>Exactly one of {@code epochs} and {@code steps} is positive, the other is 0:
 * <ul>
 *   <li>{@code epochs > 0}: that many passes over the local data, each in a freshly shuffled order,
 *       split into minibatches of {@code batchSize} (the last one of a pass may be smaller);</li>
 *   <li>{@code steps > 0}: exactly that many minibatches, cycling through the data in passes that are
 *       each freshly shuffled (so sites with different amounts of data do the same amount of work).</li>
 * </ul>
 *
 * @param epochs       number of passes over the data, or 0 when {@code steps} is used
 * @param steps        number of minibatches, or 0 when {@code epochs} is used
 * @param batchSize    minibatch size, at least 1 (capped at the number of examples)
 * @param optimizer    {@code "sgd"} or {@code "adam"}; its state is reset at the start of every round
 * @param learningRate finite and {@code > 0}
 */
public record TrainingSettings(int epochs, int steps, int batchSize, String optimizer, double learningRate) {

    /** Plain stochastic gradient descent. */
    public static final String SGD = "sgd";
    /** Adam with DL4J's default betas and epsilon. */
    public static final String ADAM = "adam";

    /** Default minibatch size used by {@link #fromMap} when {@code batchSize} is absent. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default optimiser used by {@link #fromMap}. */
    public static final String DEFAULT_OPTIMIZER = SGD;
    /** Default learning rate used by {@link #fromMap}. */
    public static final double DEFAULT_LEARNING_RATE = 0.01;

    private static final Set<String> KEYS = Set.of("epochs", "steps", "batchSize", "optimizer", "learningRate");

    /** Validates every field; messages name the field and the rejected value. */
    public TrainingSettings {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if ((epochs > 0) == (steps > 0)) {
            throw new IllegalArgumentException(
                    "exactly one of epochs and steps must be > 0, got epochs " + epochs + " and steps " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!SGD.equals(optimizer) && !ADAM.equals(optimizer)) {
            throw new IllegalArgumentException("optimizer must be one of [sgd, adam], got "
                    + (optimizer == null ? "null" : "\"" + optimizer + "\""));
        }
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
    }

    /** {@code epochs} passes over the data. */
    public static TrainingSettings ofEpochs(int epochs, int batchSize, String optimizer, double learningRate) {
        return new TrainingSettings(epochs, 0, batchSize, optimizer, learningRate);
    }

    /** Exactly {@code steps} minibatches. */
    public static TrainingSettings ofSteps(int steps, int batchSize, String optimizer, double learningRate) {
        return new TrainingSettings(0, steps, batchSize, optimizer, learningRate);
    }

    /**
     * Reads settings from a configuration map with keys {@code epochs}, {@code steps},
     * {@code batchSize}, {@code optimizer} and {@code learningRate}. Unknown keys are rejected.
     * Defaults: when neither {@code epochs} nor {@code steps} is given, 1 epoch; otherwise the absent
     * one is 0; {@code batchSize} {@value #DEFAULT_BATCH_SIZE}, {@code optimizer} "sgd",
     * {@code learningRate} {@value #DEFAULT_LEARNING_RATE}.
     */
    public static TrainingSettings fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new IllegalArgumentException("training settings map must not be null");
        }
        MapValues.requireKnownKeys(m, KEYS, "training settings");
        boolean neither = m.get("epochs") == null && m.get("steps") == null;
        return new TrainingSettings(
                MapValues.integer(m, "epochs", neither ? 1 : 0),
                MapValues.integer(m, "steps", 0),
                MapValues.integer(m, "batchSize", DEFAULT_BATCH_SIZE),
                MapValues.string(m, "optimizer", DEFAULT_OPTIMIZER),
                MapValues.real(m, "learningRate", DEFAULT_LEARNING_RATE));
    }
}
