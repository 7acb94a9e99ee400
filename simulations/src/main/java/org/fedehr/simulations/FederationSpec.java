package org.fedehr.simulations;

import org.fedehr.coordinator.RoundPolicy;
import org.fedehr.coordinator.SecureAggregation;
import org.fedehr.coordinator.Strategies;
import org.fedehr.coordinator.Strategy;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.site.data.FeatureDictionary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a federation agrees on, shared by simulation scenarios and the deployed coordinator: the feature
 * dictionary, the strategy and round policy, the model, and the local training settings.
 *
 * <pre>
 * features: ../federations/heart-disease/features.yaml   # relative to this file
 * federation: {strategy: fedavg, server_learning_rate: 1.0, rounds: 20, min_sites: 4, quorum: 4,
 *              deadline_seconds: 300, grace_seconds: 5, registration_timeout_seconds: 120, max_reply_mib: 16,
 *              strategy_params: {...}}
 * model: {kind: logistic, hidden: [], activation: relu, l2: 0}
 * training: {epochs: 1, batch_size: 4, optimizer: sgd, learning_rate: 0.01}     # or steps: N
 * secure_aggregation: true      # the default; or false, or {enabled: true, threshold: 3, clip_range: 8,
 *                               #   max_step: 1e-6, weight_cap: 0, stage_timeout_seconds: 60}
 *                               #   (see {@link SecureAggregation})
 * </pre>
 *
 * <p><b>Strategies</b> ({@code federation.strategy}, built by {@link Strategies#create}) and their
 * {@code federation.strategy_params} with defaults:
 * <ul>
 *   <li>{@code fedavg}: {@code server_learning_rate} 1.0</li>
 *   <li>{@code fedprox}: {@code mu} 0.01 (proximal weight μ at the sites), {@code server_learning_rate} 1.0</li>
 *   <li>{@code scaffold}: {@code server_learning_rate} 1.0 (global step on x; c moves by |S|/N of the mean Δc)</li>
 *   <li>{@code ditto}: {@code lambda} 0.1 (pull of each site's personal model to the global), {@code server_learning_rate} 1.0</li>
 *   <li>{@code fedadam}, {@code fedyogi}: {@code eta} 0.01 (server step), {@code beta1} 0.9, {@code beta2} 0.99,
 *       {@code tau} 1e-3 (Reddi et al. 2021; v starts at τ², no bias correction)</li>
 *   <li>{@code fedadagrad}: {@code eta} 0.01, {@code beta1} 0.9, {@code tau} 1e-3</li>
 *   <li>{@code fedmedian}: none; {@code trimmed_mean}: {@code trim_fraction} 0.1 (per side);
 *       {@code krum}: {@code byzantine} 1 (f), {@code multi_krum} 1 (m; 1 = Krum)</li>
 * </ul>
 * {@code federation.server_learning_rate} is the same as {@code strategy_params.server_learning_rate} (give one of
 * them) and is refused for strategies without one. fedmedian, trimmed_mean and krum need the individual updates: they
 * are refused with secure aggregation on (set {@code secure_aggregation: false}). fedprox, scaffold and ditto change
 * the sites' local SGD: they need {@code training.optimizer: sgd}. Errors name the key.
 *
 * @param strategyParams    the strategy's parameters as given ({@code federation.strategy_params}, plus
 *                          {@code federation.server_learning_rate} when given); defaults are not filled in
 * @param secureAggregation how updates are masked, or null when secure aggregation is off
 */
public record FederationSpec(Path featuresFile, FeatureDictionary dictionary, String strategy, Map<String, Object> strategyParams,
                             double serverLearningRate, RoundPolicy policy, long maxReplyBytes, Map<String, Object> model,
                             TrainingSettings training, SecureAggregation secureAggregation) {

    public FederationSpec {
        strategyParams = strategyParams == null ? Map.of() : Map.copyOf(strategyParams);
    }

    /** A federation whose strategy has only a server learning rate (as before strategy_params existed). */
    public FederationSpec(Path featuresFile, FeatureDictionary dictionary, String strategy, double serverLearningRate,
                          RoundPolicy policy, long maxReplyBytes, Map<String, Object> model, TrainingSettings training,
                          SecureAggregation secureAggregation) {
        this(featuresFile, dictionary, strategy, serverLearningRate == 1.0 || !Strategies.accepts(strategy, "server_learning_rate")
                        ? Map.of() : Map.of("server_learning_rate", serverLearningRate),
                serverLearningRate, policy, maxReplyBytes, model, training, secureAggregation);
    }

    static final Set<String> SECURE_AGGREGATION_KEYS = Set.of("enabled", "threshold", "clip_range", "max_step", "weight_cap",
            "stage_timeout_seconds");

    /**
     * {@code secure_aggregation:} as {@code true}/{@code false} or as a mapping; on unless it says otherwise. The
     * parameters have safe defaults ({@link SecureAggregation#DEFAULTS}).
     */
    static SecureAggregation secureAggregation(Yaml y) {
        String key = "secure_aggregation";
        if (!y.has(key)) return SecureAggregation.DEFAULTS;
        // a scalar (true/false) has a value; a mapping has none (Commons Configuration also lists a leaf as a sub-configuration)
        if (y.string(key, null) != null) return y.bool(key, true) ? SecureAggregation.DEFAULTS : null;
        y.onlyKeys(key, SECURE_AGGREGATION_KEYS);
        if (!y.bool(key + ".enabled", true)) return null;
        try {
            return new SecureAggregation(y.integer(key + ".threshold", 0),
                    y.number(key + ".clip_range", SecureAggregation.DEFAULT_CLIP_RANGE),
                    y.number(key + ".max_step", SecureAggregation.DEFAULT_MAX_STEP), y.integer(key + ".weight_cap", 0),
                    java.time.Duration.ofMillis((long) (1000 * y.number(key + ".stage_timeout_seconds",
                            SecureAggregation.DEFAULT_STAGE_TIMEOUT.toSeconds()))));
        } catch (IllegalArgumentException e) {
            throw y.error(key, e.getMessage());
        }
    }

    static final Set<String> FEDERATION_KEYS = Set.of("strategy", "server_learning_rate", "rounds", "min_sites", "quorum",
            "deadline_seconds", "grace_seconds", "registration_timeout_seconds", "max_reply_mib", "strategy_params");
    static final Set<String> TRAINING_KEYS = Set.of("epochs", "steps", "batch_size", "optimizer", "learning_rate");

    static FederationSpec read(Yaml y, Path dir, int defaultSites) {
        Path features = null;
        FeatureDictionary dict = null;
        if (!y.has("longitudinal") || y.has("features")) {   // a longitudinal scenario has no tabular dictionary
            features = dir.resolve(y.requiredString("features")).normalize();
            try {
                dict = FeatureDictionary.load(features);
            } catch (RuntimeException e) {
                throw y.error("features", e.getMessage(), e);
            }
        }
        y.onlyKeys("federation", FEDERATION_KEYS);
        String strategy = y.string("federation.strategy", "fedavg");
        if (!Strategies.NAMES.contains(strategy))
            throw y.error("federation.strategy", "unknown strategy '" + strategy + "' (available: " + String.join(", ", Strategies.NAMES) + ")");
        Map<String, Object> strategyParams = new java.util.TreeMap<>(y.map("federation.strategy_params"));
        double serverLr = y.number("federation.server_learning_rate", 1.0);
        if (y.has("federation.server_learning_rate")) {
            if (!Strategies.accepts(strategy, "server_learning_rate"))
                throw y.error("federation.server_learning_rate", "does not apply to " + strategy + " (its parameters: "
                        + new java.util.TreeSet<>(Strategies.defaults(strategy).keySet()) + " under federation.strategy_params)");
            if (strategyParams.containsKey("server_learning_rate"))
                throw y.error("federation.server_learning_rate", "given twice (also as federation.strategy_params.server_learning_rate)");
            strategyParams.put("server_learning_rate", serverLr);
        }
        Strategy built;
        try {
            built = Strategies.create(strategy, strategyParams);
        } catch (Strategies.StrategyConfigException e) {
            String key = e.key() == null ? "federation.strategy" : "federation.strategy_params." + e.key();
            if ("server_learning_rate".equals(e.key()) && !y.has(key)) key = "federation.server_learning_rate";
            throw y.error(key, e.getMessage().startsWith(e.key() + ": ") ? e.getMessage().substring(e.key().length() + 2) : e.getMessage());
        }
        int minSites = y.integer("federation.min_sites", defaultSites);
        RoundPolicy policy;
        try {
            policy = new RoundPolicy(y.integer("federation.rounds", 10), minSites,
                    y.integer("federation.quorum", minSites),
                    Duration.ofMillis((long) (1000 * y.number("federation.deadline_seconds", 300))),
                    Duration.ofMillis((long) (1000 * y.number("federation.grace_seconds", 5))),
                    Duration.ofMillis((long) (1000 * y.number("federation.registration_timeout_seconds", 120))));
        } catch (IllegalArgumentException e) {
            throw y.error("federation", e.getMessage());
        }
        long maxReply = (long) (y.number("federation.max_reply_mib", 16) * 1024 * 1024);
        Map<String, Object> model = new HashMap<>(y.map("model"));
        if (model.isEmpty()) throw y.error("model", "missing (required), e.g. {kind: logistic}");
        model.putIfAbsent("inputs", 1);
        if (model.get("hidden") instanceof Number one) model.put("hidden", java.util.List.of(one));   // YAML [32] reads as a scalar
        try {
            ModelSpec.fromMap(model);
        } catch (IllegalArgumentException e) {
            throw y.error("model", e.getMessage());
        }
        TrainingSettings training = training(y, "training");
        SecureAggregation secure = secureAggregation(y);
        if (secure != null && !built.worksOnMeans())
            throw y.error("federation.strategy", strategy + " needs every site's individual update, which secure aggregation"
                    + " never reveals to the coordinator: set secure_aggregation: false to use it, or choose a strategy"
                    + " that works on the mean (" + String.join(", ", Strategies.NAMES.stream()
                    .filter(n -> !Strategies.needIndividualUpdates().contains(n)).toList()) + ")");
        if (built.localAlgorithm() != null && !TrainingSettings.SGD.equals(training.optimizer()))
            throw y.error("training.optimizer", strategy + " changes the sites' SGD steps and needs optimizer sgd, found "
                    + training.optimizer());
        if (secure != null && secure.threshold() > minSites)
            throw y.error("secure_aggregation.threshold", "threshold " + secure.threshold() + " exceeds the " + minSites
                    + " sites of the federation: no round could complete");
        return new FederationSpec(features, dict, strategy, strategyParams, serverLr, policy,
                maxReply, Map.copyOf(model), training, secure);
    }

    static TrainingSettings training(Yaml y, String key) {
        y.onlyKeys(key, TRAINING_KEYS);
        try {
            return new TrainingSettings(y.integer(key + ".epochs", 0), y.integer(key + ".steps", 0),
                    y.integer(key + ".batch_size", TrainingSettings.DEFAULT_BATCH_SIZE),
                    y.string(key + ".optimizer", TrainingSettings.DEFAULT_OPTIMIZER),
                    y.number(key + ".learning_rate", TrainingSettings.DEFAULT_LEARNING_RATE));
        } catch (IllegalArgumentException e) {
            throw y.error(key, e.getMessage());
        }
    }

    /** The same federation with other secure-aggregation settings (null = off). */
    public FederationSpec withSecureAggregation(SecureAggregation secure) {
        return new FederationSpec(featuresFile, dictionary, strategy, strategyParams, serverLearningRate, policy, maxReplyBytes,
                model, training, secure);
    }

    /**
     * The same federation with another strategy (grids): {@code params} as under {@code federation.strategy_params}.
     * Throws {@link Strategies.StrategyConfigException} for an unknown name or a bad parameter, and
     * IllegalArgumentException when the strategy cannot run with this federation's secure aggregation or optimiser.
     */
    public FederationSpec withStrategy(String name, Map<String, ?> params) {
        Strategy s = Strategies.create(name, params);
        if (secureAggregation != null && !s.worksOnMeans())
            throw new IllegalArgumentException(name + " needs every site's individual update, which secure aggregation never"
                    + " reveals: turn secure aggregation off to use it");
        if (s.localAlgorithm() != null && !TrainingSettings.SGD.equals(training.optimizer()))
            throw new IllegalArgumentException(name + " changes the sites' SGD steps and needs optimizer sgd, found " + training.optimizer());
        Map<String, Object> p = new java.util.TreeMap<>(params == null ? Map.of() : params);
        Object lr = p.get("server_learning_rate");
        return new FederationSpec(featuresFile, dictionary, name, p, lr instanceof Number n ? n.doubleValue() : 1.0, policy,
                maxReplyBytes, model, training, secureAggregation);
    }

    /** A fresh strategy instance for one run (adaptive optimisers keep state across its rounds). */
    public Strategy newStrategy() {
        return Strategies.create(strategy, strategyParams);
    }

    public TrainingPlan trainingPlan() {
        return new TrainingPlan(training.epochs(), training.steps(), training.batchSize(), training.optimizer(),
                training.learningRate());
    }

    /** The model spec for a given input width (known once the federated statistics fix the feature layout). */
    public ModelSpec modelSpec(int inputs) {
        Map<String, Object> m = new HashMap<>(model);
        m.put("inputs", inputs);
        return ModelSpec.fromMap(m);
    }
}
