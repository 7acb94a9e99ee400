package org.fedehr.simulations;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.fedehr.protocol.config.YamlLines;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Typed reading of one YAML file (Apache Commons Configuration 2), with errors naming file and key. */
final class Yaml {
    final HierarchicalConfiguration<ImmutableNode> config;
    /** The file's path as given, prefix of every message. */
    final String source;
    private final YamlLines lines;

    private Yaml(HierarchicalConfiguration<ImmutableNode> config, String source, YamlLines lines) {
        this(config, source, lines, "");
    }

    /** Keys of this view are relative to {@code keyPrefix} (e.g. {@code faults.crash[1].}) in its messages. */
    private final String keyPrefix;

    private Yaml(HierarchicalConfiguration<ImmutableNode> config, String source, YamlLines lines, String keyPrefix) {
        this.config = config;
        this.source = source;
        this.lines = lines;
        this.keyPrefix = keyPrefix;
    }

    /**
     * The elements of a list of mappings (e.g. {@code crash: [{site: A, at_round: 3}]}), each a view whose keys are
     * relative to it; its messages name the element as {@code crash[0].at_round}.
     */
    java.util.List<Yaml> elements(String key) {
        java.util.List<Yaml> out = new java.util.ArrayList<>();
        var subs = config.configurationsAt(key);
        for (int i = 0; i < subs.size(); i++) out.add(new Yaml(subs.get(i), source, lines, keyPrefix + key + "[" + i + "]."));
        return out;
    }

    static Yaml load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        YAMLConfiguration y = new YAMLConfiguration();
        try (Reader r = new StringReader(text)) {
            y.read(r);
        } catch (IOException | ConfigurationException | RuntimeException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return new Yaml(y, file.toString(), YamlLines.of(text));
    }

    /**
     * A copy of this file's settings with the given scalar keys set (dotted paths, created when absent; a null value
     * removes the key and everything under it); messages keep naming this file. The grid of a scenario makes its
     * configurations so ({@link ScenarioGrid}).
     */
    Yaml withValues(Map<String, Object> values) {
        YAMLConfiguration copy = new YAMLConfiguration(config);
        values.forEach((k, v) -> {
            if (v == null) copy.clearTree(k);
            else copy.setProperty(k, v);
        });
        return new Yaml(copy, source, lines);
    }

    /** {@code <file> line <n>: <key>: <problem>}; without the line when the key does not occur in the file. */
    ConfigException error(String key, String problem) {
        String k = keyPrefix + key;
        return new ConfigException(lines.locate(source, k) + ": " + k + ": " + problem);
    }

    /** Same, for a problem caused by another exception (kept as the cause). */
    ConfigException error(String key, String problem, Throwable cause) {
        String k = keyPrefix + key;
        return new ConfigException(lines.locate(source, k) + ": " + k + ": " + problem, cause);
    }

    boolean has(String key) {
        return config.containsKey(key) || !config.configurationsAt(key).isEmpty();
    }

    String string(String key, String dflt) {
        String s = config.getString(key, null);
        return s == null || s.isBlank() ? dflt : s.trim();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null) throw error(key, "missing (required)");
        return s;
    }

    int integer(String key, int dflt) {
        String s = string(key, null);
        if (s == null) return dflt;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(key, "expected an integer, found '" + s + "'");
        }
    }

    long longValue(String key, long dflt) {
        String s = string(key, null);
        if (s == null) return dflt;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(key, "expected an integer, found '" + s + "'");
        }
    }

    double number(String key, double dflt) {
        String s = string(key, null);
        if (s == null) return dflt;
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw error(key, "expected a number, found '" + s + "'");
        }
    }

    boolean bool(String key, boolean dflt) {
        String s = string(key, null);
        if (s == null) return dflt;
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw error(key, "expected true or false, found '" + s + "'");
    }

    java.util.List<String> strings(String key) {
        return config.getList(String.class, key, java.util.List.of());
    }

    /** The scalar values under a mapping key, as a map (for ModelSpec / TrainingSettings fromMap). */
    Map<String, Object> map(String key) {
        Map<String, Object> m = new HashMap<>();
        if (config.configurationsAt(key).isEmpty()) return m;
        HierarchicalConfiguration<ImmutableNode> sub = config.configurationAt(key);
        for (Iterator<String> it = sub.getKeys(); it.hasNext(); ) {
            String k = it.next();
            Object v = sub.getProperty(k);
            m.put(k, v);
        }
        return m;
    }

    /** Refuses keys this version does not know under {@code prefix} (a typo must not be silently ignored). */
    void onlyKeys(String prefix, Set<String> allowed) {
        HierarchicalConfiguration<ImmutableNode> sub = prefix.isEmpty() ? config
                : config.configurationsAt(prefix).isEmpty() ? null : config.configurationAt(prefix);
        if (sub == null) return;
        for (ImmutableNode child : sub.getNodeModel().getNodeHandler().getRootNode().getChildren()) {
            if (!allowed.contains(child.getNodeName()))
                throw error((prefix.isEmpty() ? "" : prefix + ".") + child.getNodeName(), "unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
        }
    }
}
