package org.fedehr.models;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Declarative, hashable description of a binary classifier: one sigmoid output trained with binary
 * cross-entropy, either plain logistic regression or a multi-layer perceptron.
 *
 * <p>The spec is the unit a site approves and the coordinator refers to: {@link #digest()} is a
 * SHA-256 over {@link #canonicalJson()}, so two parties that agree on the digest agree on the network
 * architecture and on the layout of the flat parameter vector (see {@link #parameterCount()}).
 *
 * <p>Flat parameter layout (DL4J's): for each layer in order, the weight matrix of shape
 * {@code [in, out]} in column-major ('f') order, followed by the {@code out} biases.
 *
 * @param kind       {@code "logistic"} (no hidden layers), {@code "mlp"} (at least one hidden layer) or
 *                   {@code "cox"} (linear Cox model: no hidden layers, no bias, parameter count = inputs)
 * @param inputs     number of input features, at least 1
 * @param hidden     sizes of the hidden layers, each at least 1; empty for {@code "logistic"}
 * @param activation hidden-layer activation, {@code "relu"} or {@code "tanh"}; it has no effect on a
 *                   logistic model but is still part of the spec and of its digest
 * @param l2         L2 regularisation coefficient applied to weights (not biases); finite and
 *                   {@code >= 0} ({@code -0.0} is normalised to {@code 0.0})
 * @param classes    number of classes: 2 (the default) is a binary task with one sigmoid output and binary
 *                   cross-entropy; 3 or more is a multi-class task with that many softmax outputs and
 *                   multi-class cross-entropy. Written to the canonical JSON only when not 2, so the digests
 *                   of binary specs are unchanged.
 * @param statics    for kind {@code "lstm"} only: number of static (per-stay) features. They are repeated at
 *                   every time step and concatenated after the {@code inputs} sequence channels, so the first
 *                   LSTM layer sees {@code inputs + statics} channels. 0 for the other kinds; written to the
 *                   canonical JSON only for {@code "lstm"}.
 *
 * <p>Kind {@code "lstm"}: a stack of DL4J LSTM layers of sizes {@code hidden} (at least one; {@code activation}
 * is the cell activation, gates are sigmoid) over a sequence {@code [time][inputs + statics]}; the last LSTM
 * layer is wrapped in DL4J's {@code LastTimeStep}, which takes each sequence's output at its last unmasked step,
 * followed by the dense output layer. Flat layout per LSTM layer (DL4J's): input weights {@code [in, 4h]},
 * recurrent weights {@code [h, 4h]}, biases {@code [4h]}; then the output layer's {@code [h, out]} weights and
 * {@code out} biases.
 */
public record ModelSpec(String kind, int inputs, List<Integer> hidden, String activation, double l2, int classes,
                        int statics) {

    /** Kind of a model without hidden layers. */
    public static final String LOGISTIC = "logistic";
    /** Kind of a multi-layer perceptron. */
    public static final String MLP = "mlp";
    /** Kind of a recurrent (LSTM) model over a resampled sequence, with static features repeated per step. */
    public static final String LSTM = "lstm";
    /** Number of classes of a binary task (one sigmoid output). */
    public static final int BINARY = 2;
    /**
     * Kind of a linear Cox proportional-hazards model: one linear output (the log relative risk, no bias, which the
     * partial likelihood cannot identify) trained with the negative Breslow partial log-likelihood ({@link CoxLoss});
     * its labels are survival times and event indicators, its metric the concordance index ({@link SurvivalMetrics}).
     */
    public static final String COX = "cox";
    /** Version of the canonical JSON format; bumping it changes every digest. */
    public static final int FORMAT = 1;

    private static final Set<String> KINDS = Set.of(LOGISTIC, MLP, COX, LSTM);
    private static final Set<String> ACTIVATIONS = Set.of("relu", "tanh");
    private static final Set<String> KEYS = Set.of("kind", "inputs", "hidden", "activation", "l2", "format",
            "classes", "statics");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Validates every field; messages name the field and the rejected value. */
    public ModelSpec {
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of [cox, logistic, lstm, mlp], got " + quote(kind));
        }
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        }
        if (hidden == null) {
            throw new IllegalArgumentException("hidden must not be null (use an empty list)");
        }
        for (int i = 0; i < hidden.size(); i++) {
            Integer h = hidden.get(i);
            if (h == null || h < 1) {
                throw new IllegalArgumentException("hidden[" + i + "] must be >= 1, got " + h);
            }
        }
        hidden = List.copyOf(hidden);
        if ((LOGISTIC.equals(kind) || COX.equals(kind)) && !hidden.isEmpty()) {
            throw new IllegalArgumentException("hidden must be empty for kind " + kind + ", got " + hidden);
        }
        if ((MLP.equals(kind) || LSTM.equals(kind)) && hidden.isEmpty()) {
            throw new IllegalArgumentException("hidden must have at least one layer for kind " + kind + ", got []");
        }
        if (classes < BINARY) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (statics < 0) {
            throw new IllegalArgumentException("statics must be >= 0, got " + statics);
        }
        if (statics > 0 && !LSTM.equals(kind)) {
            throw new IllegalArgumentException("statics must be 0 for kind " + kind
                    + " (static features are ordinary inputs there), got " + statics);
        }
        if (activation == null || !ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("activation must be one of [relu, tanh], got " + quote(activation));
        }
        if (!Double.isFinite(l2) || l2 < 0) {
            throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
        }
        if (l2 == 0.0) {
            l2 = 0.0; // normalise -0.0 so that equal specs have equal digests
        }
        long count = countParameters(kind, inputs, hidden, classes, statics);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter count must fit in an int, got " + count
                    + " for inputs " + inputs + " and hidden " + hidden);
        }
    }

    /** A binary spec of kind logistic or mlp (no static sequence features): the original five-field form. */
    public ModelSpec(String kind, int inputs, List<Integer> hidden, String activation, double l2) {
        this(kind, inputs, hidden, activation, l2, BINARY, 0);
    }

    /** An LSTM over {@code channels} per-step channels plus {@code statics} static features repeated per step. */
    public static ModelSpec lstm(int channels, int statics, List<Integer> hidden, double l2, int classes) {
        return new ModelSpec(LSTM, channels, hidden, "tanh", l2, classes, statics);
    }

    /** Logistic regression over {@code inputs} features, without regularisation. */
    public static ModelSpec logistic(int inputs) {
        return new ModelSpec(LOGISTIC, inputs, List.of(), "relu", 0.0);
    }

    /**
     * Reads a spec from a configuration map with keys {@code kind} (required), {@code inputs}
     * (required), {@code hidden} (list, default empty), {@code activation} (default {@code "relu"}),
     * {@code l2} (default 0), {@code classes} (default 2), {@code statics} (default 0) and optionally
     * {@code format} (must be 1). Unknown keys are rejected.
     */
    public static ModelSpec fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new IllegalArgumentException("model spec map must not be null");
        }
        MapValues.requireKnownKeys(m, KEYS, "model spec");
        if (m.get("format") != null) {
            int format = MapValues.integer(m, "format", FORMAT);
            if (format != FORMAT) {
                throw new IllegalArgumentException("format must be " + FORMAT + ", got " + format);
            }
        }
        return new ModelSpec(
                MapValues.string(m, "kind", null),
                MapValues.integer(m, "inputs", null),
                MapValues.integers(m, "hidden"),
                MapValues.string(m, "activation", "relu"),
                MapValues.real(m, "l2", 0.0),
                MapValues.integer(m, "classes", BINARY),
                MapValues.integer(m, "statics", 0));
    }

    /** Parses JSON as written by {@link #canonicalJson()} (or any object with the keys of {@link #fromMap}). */
    public static ModelSpec fromJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("model spec json must not be null");
        }
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model spec json is not a valid JSON object: "
                    + e.getOriginalMessage(), e);
        }
        if (m == null) {
            throw new IllegalArgumentException("model spec json must be an object, got null");
        }
        return fromMap(m);
    }

    /** The same spec with a different number of inputs (for example once the feature space is known). */
    public ModelSpec withInputs(int n) {
        return new ModelSpec(kind, n, hidden, activation, l2, classes, statics);
    }

    /** The same spec with a different number of static features (kind lstm). */
    public ModelSpec withStatics(int n) {
        return new ModelSpec(kind, inputs, hidden, activation, l2, classes, n);
    }

    /** Whether the model reads sequences ({@code [time][channels]} per example) rather than flat rows. */
    public boolean isSequence() {
        return LSTM.equals(kind);
    }

    /** Width of the output layer: 1 (sigmoid) for a binary task, {@code classes} (softmax) otherwise. */
    public int outputs() {
        return classes == BINARY ? 1 : classes;
    }

    /**
     * Stable JSON form: keys sorted, no whitespace, plus {@code "format": 1}. Example:
     * {@code {"activation":"relu","format":1,"hidden":[16],"inputs":13,"kind":"mlp","l2":1.0E-4}}.
     * Numbers are written as Java writes them ({@code l2} via {@link Double#toString(double)}).
     */
    public String canonicalJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("activation", activation);
        if (classes != BINARY) {
            m.put("classes", classes);
        }
        if (LSTM.equals(kind)) {
            m.put("statics", statics);
        }
        m.put("format", FORMAT);
        m.put("hidden", new ArrayList<>(hidden));
        m.put("inputs", inputs);
        m.put("kind", kind);
        m.put("l2", l2);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model spec", e);
        }
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@link #canonicalJson()}. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonicalJson().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Length of the flat parameter vector: the sum over layers of {@code in*out + out}. */
    public int parameterCount() {
        return (int) countParameters(kind, inputs, hidden, classes, statics);
    }

    /** Layer widths from input to output, e.g. {@code [13, 16, 1]} (for lstm the first is inputs + statics). */
    List<Integer> layerSizes() {
        List<Integer> sizes = new ArrayList<>(hidden.size() + 2);
        sizes.add(inputs + statics);
        sizes.addAll(hidden);
        sizes.add(outputs());
        return sizes;
    }

    /** Whether this is a survival model ({@link #COX}): labels are (time, event), the metric the C-index. */
    public boolean survival() {
        return COX.equals(kind);
    }

    private static long countParameters(String kind, int inputs, List<Integer> hidden, int classes, int statics) {
        if (COX.equals(kind)) {
            return inputs; // one weight per input, no bias
        }
        long total = 0;
        long in = (long) inputs + statics;
        boolean lstm = LSTM.equals(kind);
        for (int h : hidden) {
            long hh = h;
            total += lstm ? in * 4 * hh + hh * 4 * hh + 4 * hh : in * hh + hh;
            in = hh;
        }
        long out = classes == BINARY ? 1 : classes;
        return total + in * out + out;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
