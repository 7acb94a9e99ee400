package org.fedehr.simulations;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Typed reading of one YAML file (Apache Commons Configuration 2), with errors naming file and key. */
final class Yaml {
    final HierarchicalConfiguration<ImmutableNode> config;
    final String source;

    private Yaml(HierarchicalConfiguration<ImmutableNode> config, String source) {
        this.config = config;
        this.source = source;
    }

    static Yaml load(Path file) {
        YAMLConfiguration y = new YAMLConfiguration();
        try (Reader r = Files.newBufferedReader(file)) {
            y.read(r);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        } catch (ConfigurationException | RuntimeException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return new Yaml(y, file.getFileName().toString());
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(source + ": " + key + ": " + problem);
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
