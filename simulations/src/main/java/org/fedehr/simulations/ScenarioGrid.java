package org.fedehr.simulations;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario that declares a grid of configurations: strategies × settings × seeds.
 *
 * <pre>
 * grid:
 *   strategies: [fedavg, {name: fedprox, mu: 0.01}]   # sets federation.strategy (default: the scenario's own) and
 *                                          # federation.strategy_params from the entry; the scenario's own
 *                                          # strategy_params / server_learning_rate apply only to its own strategy
 *   seeds: [42, 43, 44]                    # default: the scenario's seed (--seeds on the command line wins)
 *   settings:                              # any scalar key of the scenario, by its dotted path: one list of values each
 *     training.learning_rate: [0.01, 0.05]
 *     federation.rounds: [10, 20]
 * </pre>
 *
 * Configurations are the scenario file with those keys set, each loaded and validated exactly as a scenario file
 * (so a bad value is reported by the same check, named by its key); they are all built when the grid is loaded, so
 * nothing runs before every configuration is known to be valid. Order: strategy-major, then the settings' values
 * as a cartesian product in the order they are written (the last setting varies fastest); every configuration runs
 * every seed.
 *
 * @param text           the scenario file's text (for the report's provenance)
 * @param configurations strategies × settings, in run order
 */
public record ScenarioGrid(Path file, String name, String text, List<String> strategies, Map<String, List<String>> settings,
                           List<Long> seeds, List<GridConfiguration> configurations) {
    static final String KEY = "grid";
    private static final Set<String> GRID_KEYS = Set.of("strategies", "seeds", "settings");
    /** Keys a setting cannot vary, with where to vary them instead. */
    private static final Map<String, String> RESERVED = Map.of("seed", "list the seeds under grid.seeds",
            "federation.strategy", "list the strategies under grid.strategies", "name", "the grid is one scenario with one name");

    public ScenarioGrid {
        strategies = List.copyOf(strategies);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        seeds = List.copyOf(seeds);
        configurations = List.copyOf(configurations);
        if (configurations.isEmpty()) throw new IllegalArgumentException("a grid needs at least one configuration");
        if (seeds.isEmpty()) throw new IllegalArgumentException("a grid needs at least one seed");
    }

    /** Whether the scenario file declares {@code grid:} (then {@code fedehr simulate} runs it with {@link GridRunner}). */
    public static boolean declaredIn(Path file) {
        if (!Files.isRegularFile(file)) return false;
        return Yaml.load(file).has(KEY);
    }

    /** Reads the scenario and its grid and builds (validates) every configuration. */
    public static ScenarioGrid load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("scenario file not found: " + file);
        Yaml y = Yaml.load(file);
        Scenario base = Scenario.from(y, file);               // the scenario itself must be valid as written
        if (!y.has(KEY)) throw y.error(KEY, "missing: this scenario declares no grid");
        y.onlyKeys(KEY, GRID_KEYS);

        List<StrategyEntry> entries = strategies(y, base);
        List<String> strategies = entries.stream().map(StrategyEntry::label).toList();

        List<Long> seeds = seeds(y, base);
        Map<String, List<String>> settings = new LinkedHashMap<>();
        Map<String, List<Object>> values = settings(y);
        for (var e : values.entrySet()) {
            checkSettable(y, e.getKey());
            settings.put(e.getKey(), e.getValue().stream().map(String::valueOf).toList());
        }

        List<Map<String, Object>> combos = cartesian(values);
        Map<String, String> labelKeys = labelKeys(values.keySet());
        List<GridConfiguration> configs = new ArrayList<>();
        for (StrategyEntry strategy : entries) {
            for (Map<String, Object> combo : combos) {
                String id = "c" + (configs.size() + 1);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("federation.strategy", strategy.name());
                if (!strategy.params().isEmpty() || !strategy.name().equals(base.federation().strategy())) {
                    // the scenario's own strategy parameters belong to its own strategy; another one gets its entry's
                    set.put("federation.strategy_params", null);
                    set.put("federation.server_learning_rate", null);
                    strategy.params().forEach((k, v) -> set.put("federation.strategy_params." + k, v));
                }
                set.putAll(combo);
                Map<String, String> shown = new LinkedHashMap<>();
                combo.forEach((k, v) -> shown.put(k, String.valueOf(v)));
                String label = label(strategy.label(), shown, labelKeys);
                Scenario sc;
                try {
                    sc = Scenario.from(y.withValues(set), file);
                } catch (ConfigException e) {
                    String where = combo.isEmpty() ? KEY + ".strategies" : KEY + ".settings";
                    throw y.error(where, "configuration " + id + " (" + label + "): " + e.getMessage(), e);
                }
                configs.add(new GridConfiguration(id, label, strategy.name(), strategy.params(), shown, sc));
            }
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return new ScenarioGrid(file, base.name(), text, strategies, settings, seeds, configs);
    }

    /**
     * The same grid in another execution mode (the command line's {@code --mode} / {@code --workers}); refused for a
     * configuration that injects faults into in-process sites (fault injection acts on each site's network link).
     */
    public ScenarioGrid withMode(ExecutionMode mode, Integer workers) {
        List<GridConfiguration> out = new ArrayList<>();
        for (GridConfiguration c : configurations) {
            Scenario sc = c.scenario();
            ExecutionMode m = mode == null ? sc.mode() : mode;
            if (sc.faults() != null && m == ExecutionMode.IN_PROCESS)
                throw new ConfigException("--mode " + m.yamlName() + ": configuration " + c.id() + " (" + c.label()
                        + ") injects faults, which act on each site's network link and run in mode: network only");
            out.add(new GridConfiguration(c.id(), c.label(), c.strategy(), c.strategyParams(), c.settings(),
                    sc.withMode(m, workers == null ? sc.workers() : workers)));
        }
        return new ScenarioGrid(file, name, text, strategies, settings, seeds, out);
    }

    /** The same grid run over other seeds (the command line's {@code --seeds}). */
    public ScenarioGrid withSeeds(List<Long> other) {
        return new ScenarioGrid(file, name, text, strategies, settings, other, configurations);
    }

    private static List<Long> seeds(Yaml y, Scenario base) {
        List<String> raw = values(y, KEY + ".seeds");
        if (raw.isEmpty()) return List.of(base.seed());
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = KEY + ".seeds[" + i + "]";
            long s;
            try {
                s = Long.parseLong(String.valueOf(raw.get(i)).trim());
            } catch (NumberFormatException e) {
                throw y.error(key, "expected an integer seed, found '" + raw.get(i) + "'");
            }
            if (s == 0) throw y.error(key, "seed 0 is not allowed (DL4J treats seed 0 as 'no seed')");
            if (out.contains(s)) throw y.error(KEY + ".seeds", "seed " + s + " is listed twice (a repeat would count twice in mean ± sd)");
            out.add(s);
        }
        return out;
    }

    /** One entry of {@code grid.strategies}: a name, or {@code {name: fedprox, mu: 0.01}} with the strategy's parameters. */
    record StrategyEntry(String name, Map<String, String> params) {
        String label() {
            if (params.isEmpty()) return name;
            StringBuilder sb = new StringBuilder(name).append('(');
            String sep = "";
            for (var e : params.entrySet()) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
            return sb.append(')').toString();
        }
    }

    private static List<StrategyEntry> strategies(Yaml y, Scenario base) {
        String key = KEY + ".strategies";
        List<StrategyEntry> out = new ArrayList<>();
        if (!y.has(key)) {
            out.add(new StrategyEntry(base.federation().strategy(), Map.of()));
            return out;
        }
        HierarchicalConfiguration<ImmutableNode> grid = y.config.configurationAt(KEY);
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (ImmutableNode n : grid.getNodeModel().getNodeHandler().getRootNode().getChildren()) {
            if (!n.getNodeName().equals("strategies")) continue;
            String at = key + "[" + i++ + "]";
            String name;
            Map<String, String> params = new LinkedHashMap<>();
            if (n.getChildren().isEmpty()) {
                name = n.getValue() == null ? "" : String.valueOf(n.getValue()).trim();
            } else {
                name = "";
                for (ImmutableNode c : n.getChildren()) {
                    if (!c.getChildren().isEmpty())
                        throw y.error(at, c.getNodeName() + ": a strategy parameter must be a single value");
                    String v = c.getValue() == null ? "" : String.valueOf(c.getValue()).trim();
                    if (c.getNodeName().equals("name")) name = v;
                    else if (params.put(c.getNodeName(), v) != null)
                        throw y.error(at, c.getNodeName() + ": given twice (a list of values makes one entry per value: list the entries)");
                }
                if (name.isEmpty()) throw y.error(at, "missing name, e.g. {name: fedprox, mu: 0.01}");
            }
            if (name.isEmpty()) throw y.error(at, "empty strategy name");
            StrategyEntry e = new StrategyEntry(name, params);
            if (!seen.add(e.label())) throw y.error(key, "strategy '" + e.label() + "' is listed twice");
            out.add(e);
        }
        if (out.isEmpty()) throw y.error(key, "no strategies listed (leave the key out to run the scenario's own strategy)");
        return out;
    }

    /** A list's values as written, repeats included (Commons Configuration's getList may merge equal numbers). */
    private static List<String> values(Yaml y, String key) {
        Object p = y.config.getProperty(key);
        if (p == null) return List.of();
        if (p instanceof java.util.Collection<?> c) return c.stream().map(v -> v == null ? "" : String.valueOf(v)).toList();
        return List.of(String.valueOf(p));
    }

    /**
     * {@code grid.settings}: dotted key → its values in the order written. A key may be written dotted
     * ({@code training.learning_rate: [...]}) or nested ({@code training: {learning_rate: [...]}}).
     */
    private static Map<String, List<Object>> settings(Yaml y) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        String key = KEY + ".settings";
        if (!y.has(key)) return out;
        if (y.string(key, null) != null)
            throw y.error(key, "expected a mapping of dotted keys to lists of values, e.g. {training.learning_rate: [0.01, 0.05]}");
        HierarchicalConfiguration<ImmutableNode> sub = y.config.configurationAt(key);
        for (ImmutableNode child : sub.getNodeModel().getNodeHandler().getRootNode().getChildren()) flatten(child, "", out);
        for (var e : out.entrySet()) {
            List<Object> vs = e.getValue();
            if (vs.isEmpty() || vs.stream().allMatch(v -> v == null || String.valueOf(v).isBlank()))
                throw y.error(key, e.getKey() + ": no values (give a list, e.g. [0.01, 0.05])");
            Set<String> distinct = new HashSet<>();
            for (Object v : vs) {
                if (v == null || String.valueOf(v).isBlank()) throw y.error(key, e.getKey() + ": an empty value in its list");
                if (!distinct.add(String.valueOf(v)))
                    throw y.error(key, e.getKey() + ": value " + v + " is listed twice (the same configuration would run twice)");
            }
        }
        return out;
    }

    /** A list in YAML is several sibling nodes of one name; a nested mapping is a node with children. */
    private static void flatten(ImmutableNode node, String prefix, Map<String, List<Object>> out) {
        String name = prefix.isEmpty() ? node.getNodeName() : prefix + "." + node.getNodeName();
        if (!node.getChildren().isEmpty()) {
            for (ImmutableNode c : node.getChildren()) flatten(c, name, out);
            return;
        }
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(node.getValue());
    }

    /** A setting must name one scalar of the scenario: not a mapping, not a list, not inside a scalar, not reserved. */
    private static void checkSettable(Yaml y, String key) {
        String at = KEY + ".settings";
        for (var r : RESERVED.entrySet())
            if (key.equals(r.getKey())) throw y.error(at, key + ": cannot be a setting (" + r.getValue() + ")");
        if (key.equals(KEY) || key.startsWith(KEY + "."))
            throw y.error(at, key + ": a grid cannot set its own keys");
        String[] parts = key.split("\\.");
        for (String p : parts)
            if (p.isBlank()) throw y.error(at, key + ": not a dotted key path (an empty segment)");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (i > 0) prefix.append('.');
            prefix.append(parts[i]);
            if (y.config.containsKey(prefix.toString()) && y.config.getString(prefix.toString()) != null)
                throw y.error(at, key + ": cannot be set, because " + prefix + " is a single value in the scenario, not a mapping");
        }
        if (!y.has(key)) return;     // a key the scenario leaves at its default: the loader checks that it exists
        if (y.config.getList(Object.class, key, List.of()).size() > 1)
            throw y.error(at, key + ": is a list in the scenario, not a single value (a setting replaces one scalar)");
        if (!y.config.containsKey(key) || y.config.getString(key) == null) {
            HierarchicalConfiguration<ImmutableNode> sub = y.config.configurationAt(key);
            if (!sub.getNodeModel().getNodeHandler().getRootNode().getChildren().isEmpty())
                throw y.error(at, key + ": is a mapping in the scenario, not a single value (set one of its keys, e.g. "
                        + key + "." + sub.getNodeModel().getNodeHandler().getRootNode().getChildren().get(0).getNodeName() + ")");
        }
    }

    /** Every combination of the settings' values; the last key varies fastest. No settings: one empty combination. */
    static List<Map<String, Object>> cartesian(Map<String, List<Object>> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (var e : values.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** Short names for labels: a key's last segment unless two settings share it, then the whole key. */
    private static Map<String, String> labelKeys(Set<String> keys) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String k : keys) count.merge(last(k), 1, Integer::sum);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) out.put(k, count.get(last(k)) > 1 ? k : last(k));
        return out;
    }

    private static String last(String key) {
        int i = key.lastIndexOf('.');
        return i < 0 ? key : key.substring(i + 1);
    }

    private static String label(String strategy, Map<String, String> settings, Map<String, String> labelKeys) {
        StringBuilder sb = new StringBuilder(strategy);
        String sep = " ";
        for (var e : settings.entrySet()) {
            sb.append(sep).append(labelKeys.get(e.getKey())).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.toString();
    }

    /** Every run: configurations × seeds, in run order. */
    public int runs() {
        return configurations.size() * seeds.size();
    }
}
