package org.fedehr.coordinator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place strategies are built from a name and parameters (scenario files, grids, deployments).
 *
 * <table>
 *   <caption>Strategies, their parameters (defaults) and whether they run under secure aggregation</caption>
 *   <tr><th>name</th><th>parameters (default)</th><th>secure aggregation</th></tr>
 *   <tr><td>fedavg</td><td>server_learning_rate (1.0)</td><td>yes</td></tr>
 *   <tr><td>fedprox</td><td>mu (0.01), server_learning_rate (1.0)</td><td>yes</td></tr>
 *   <tr><td>scaffold</td><td>server_learning_rate (1.0)</td><td>yes</td></tr>
 *   <tr><td>ditto</td><td>lambda (0.1), server_learning_rate (1.0)</td><td>yes</td></tr>
 *   <tr><td>fedadam, fedyogi</td><td>eta (0.01), beta1 (0.9), beta2 (0.99), tau (1e-3)</td><td>yes</td></tr>
 *   <tr><td>fedadagrad</td><td>eta (0.01), beta1 (0.9), tau (1e-3)</td><td>yes</td></tr>
 *   <tr><td>fedmedian</td><td>none</td><td>no</td></tr>
 *   <tr><td>trimmed_mean</td><td>trim_fraction (0.1): fraction trimmed from each side</td><td>no</td></tr>
 *   <tr><td>krum</td><td>byzantine (1): f; multi_krum (1): m, 1 = Krum</td><td>no</td></tr>
 * </table>
 * Errors are {@link StrategyConfigException}s naming the parameter ({@link StrategyConfigException#key()}).
 */
public final class Strategies {
    private Strategies() {
    }

    /** Every strategy name, in the order of the table above. */
    public static final List<String> NAMES = List.of("fedavg", "fedprox", "scaffold", "ditto", "fedadam", "fedyogi",
            "fedadagrad", "fedmedian", "trimmed_mean", "krum");

    private static final Map<String, Map<String, Object>> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("fedavg", Map.of("server_learning_rate", 1.0));
        DEFAULTS.put("fedprox", Map.of("mu", 0.01, "server_learning_rate", 1.0));
        DEFAULTS.put("scaffold", Map.of("server_learning_rate", 1.0));
        DEFAULTS.put("ditto", Map.of("lambda", 0.1, "server_learning_rate", 1.0));
        DEFAULTS.put("fedadam", Map.of("eta", 0.01, "beta1", 0.9, "beta2", 0.99, "tau", 1e-3));
        DEFAULTS.put("fedyogi", Map.of("eta", 0.01, "beta1", 0.9, "beta2", 0.99, "tau", 1e-3));
        DEFAULTS.put("fedadagrad", Map.of("eta", 0.01, "beta1", 0.9, "tau", 1e-3));
        DEFAULTS.put("fedmedian", Map.of());
        DEFAULTS.put("trimmed_mean", Map.of("trim_fraction", 0.1));
        DEFAULTS.put("krum", Map.of("byzantine", 1, "multi_krum", 1));
    }

    /** The parameters {@code name} accepts with their defaults; throws for an unknown name. */
    public static Map<String, Object> defaults(String name) {
        Map<String, Object> d = DEFAULTS.get(name);
        if (d == null) throw unknown(name);
        return d;
    }

    /** Whether {@code name} accepts the parameter {@code key}. */
    public static boolean accepts(String name, String key) {
        return defaults(name).containsKey(key);
    }

    /** The strategy {@code name} with its defaults. */
    public static Strategy create(String name) {
        return create(name, Map.of());
    }

    /**
     * Builds the strategy {@code name} from {@code params} (numbers as {@link Number} or numeric strings; absent keys
     * take the defaults of the table above). Unknown names and keys, and invalid values, are refused with a message
     * naming the key and the value.
     */
    public static Strategy create(String name, Map<String, ?> params) {
        if (name == null) throw unknown(null);
        Map<String, Object> allowed = defaults(name);
        Map<String, ?> p = params == null ? Map.of() : params;
        for (String k : p.keySet())
            if (!allowed.containsKey(k))
                throw new StrategyConfigException(k, "unknown parameter for " + name + " (expected "
                        + (allowed.isEmpty() ? "none" : "one of " + new TreeSet<>(allowed.keySet())) + ")");
        Params v = new Params(name, allowed, p);
        return switch (name) {
            case "fedavg" -> v.build("server_learning_rate", () -> new FedAvg(v.number("server_learning_rate")));
            case "fedprox" -> v.build(null, () -> new FedProx(v.number("mu"), v.number("server_learning_rate")));
            case "scaffold" -> v.build("server_learning_rate", () -> new Scaffold(v.number("server_learning_rate")));
            case "ditto" -> v.build(null, () -> new Ditto(v.number("lambda"), v.number("server_learning_rate")));
            case "fedadam" -> v.build(null, () -> new FedAdam(v.number("eta"), v.number("beta1"), v.number("beta2"), v.number("tau")));
            case "fedyogi" -> v.build(null, () -> new FedYogi(v.number("eta"), v.number("beta1"), v.number("beta2"), v.number("tau")));
            case "fedadagrad" -> v.build(null, () -> new FedAdagrad(v.number("eta"), v.number("beta1"), v.number("tau")));
            case "fedmedian" -> new FedMedian();
            case "trimmed_mean" -> v.build("trim_fraction", () -> new TrimmedMean(v.number("trim_fraction")));
            case "krum" -> v.build(null, () -> new Krum(v.integer("byzantine"), v.integer("multi_krum")));
            default -> throw unknown(name);
        };
    }

    private static StrategyConfigException unknown(String name) {
        return new StrategyConfigException(null, "unknown strategy '" + name + "' (available: " + String.join(", ", NAMES) + ")");
    }

    /** A strategy name or parameter that cannot be used; {@link #key()} names the parameter (null: the name itself). */
    public static final class StrategyConfigException extends IllegalArgumentException {
        private final String key;

        public StrategyConfigException(String key, String message) {
            super(key == null ? message : key + ": " + message);
            this.key = key;
        }

        /** The offending parameter, or null when the strategy name is the problem. */
        public String key() {
            return key;
        }
    }

    private record Params(String name, Map<String, Object> defaults, Map<String, ?> given) {
        Object raw(String key) {
            Object o = given.get(key);
            return o == null ? defaults.get(key) : o;
        }

        double number(String key) {
            Object o = raw(key);
            double d;
            if (o instanceof Number n) d = n.doubleValue();
            else {
                try {
                    d = Double.parseDouble(String.valueOf(o).trim());
                } catch (NumberFormatException e) {
                    throw new StrategyConfigException(key, "expected a number, found '" + o + "'");
                }
            }
            if (!Double.isFinite(d)) throw new StrategyConfigException(key, "expected a finite number, found '" + o + "'");
            return d;
        }

        int integer(String key) {
            Object o = raw(key);
            double d = number(key);
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)
                throw new StrategyConfigException(key, "expected an integer, found '" + o + "'");
            return (int) d;
        }

        /**
         * Runs a constructor, turning its IllegalArgumentException (whose message starts with the parameter's name) into
         * one naming the parameter; {@code onlyKey} names it when the strategy has one parameter.
         */
        Strategy build(String onlyKey, java.util.function.Supplier<Strategy> make) {
            try {
                return make.get();
            } catch (StrategyConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                String key = onlyKey;
                if (key == null) {
                    for (String k : defaults.keySet()) {
                        if (e.getMessage() != null && e.getMessage().startsWith(k + " ")) key = k;
                    }
                }
                throw new StrategyConfigException(key, key != null && e.getMessage().startsWith(key + " ")
                        ? e.getMessage().substring(key.length() + 1) : e.getMessage());
            }
        }
    }

    /** Strategy names that need individual updates (refused with secure aggregation). */
    public static Set<String> needIndividualUpdates() {
        Set<String> s = new TreeSet<>();
        for (String n : NAMES) if (!create(n).worksOnMeans()) s.add(n);
        return s;
    }
}
