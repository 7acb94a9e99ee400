package org.fedehr.site.data;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.fedehr.protocol.config.YamlLines;

/**
 * Typed access to one subtree of a hierarchical configuration, with error messages of the form
 * {@code <source> line <n>: <full.key>: <problem>} (the line when the configuration was read from a YAML file and the
 * key occurs in it, see {@link YamlLines}; otherwise {@code <source>: <full.key>: <problem>}).
 */
public final class ConfigReader {
    private final HierarchicalConfiguration<?> config;
    private final String source;
    private final String prefix;
    private final YamlLines lines;    // null when the keys are not those of a whole file

    ConfigReader(HierarchicalConfiguration<?> config, String source, String prefix) {
        this(config, source, prefix, null);
    }

    private ConfigReader(HierarchicalConfiguration<?> config, String source, String prefix, YamlLines lines) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        this.config = config;
        this.source = source == null ? "<config>" : source;
        this.prefix = prefix == null ? "" : prefix;
        this.lines = lines;
    }

    /** Reads a YAML file; the reader's source name is the file's path as given. */
    public static ConfigReader yaml(Path file) {
        String name = String.valueOf(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataConfigException(name + ": file not found", e);
        } catch (IOException e) {
            throw new DataConfigException(name + ": cannot read file (" + e.getClass().getSimpleName() + ")", e);
        }
        YAMLConfiguration yaml = new YAMLConfiguration();
        try (Reader r = new StringReader(text)) {
            yaml.read(r);
        } catch (IOException | ConfigurationException | RuntimeException e) {
            throw new DataConfigException(name + ": not valid YAML: " + e.getMessage(), e);
        }
        return new ConfigReader(yaml, name, "", YamlLines.of(text));
    }

    public String source() {
        return source;
    }

    public String path(String key) {
        return prefix + key;
    }

    public DataConfigException error(String key, String problem) {
        String where = lines == null ? source : lines.locate(source, path(key));
        return new DataConfigException(where + ": " + path(key) + ": " + problem);
    }

    public boolean has(String key) {
        if (config.containsKey(key) && config.getProperty(key) != null) return true;
        return !config.configurationsAt(key).isEmpty();
    }

    public Optional<String> string(String key) {
        if (!config.containsKey(key)) {
            if (!config.configurationsAt(key).isEmpty()) throw error(key, "expected a single value, found a mapping");
            return Optional.empty();
        }
        Object raw = config.getProperty(key);
        if (raw instanceof java.util.Collection<?>) throw error(key, "expected a single value, found a list");
        String s = config.getString(key);
        return s == null ? Optional.empty() : Optional.of(s);
    }

    public String requiredString(String key) {
        String s = string(key).orElseThrow(() -> error(key, "missing (required)"));
        if (s.isBlank()) throw error(key, "must not be empty");
        return s.trim();
    }

    public Optional<Integer> integer(String key) {
        return string(key).map(s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer, found '" + s + "'");
            }
        });
    }

    public Optional<Long> longValue(String key) {
        return string(key).map(s -> {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer, found '" + s + "'");
            }
        });
    }

    public Optional<Double> decimal(String key) {
        return string(key).map(s -> {
            try {
                double d = Double.parseDouble(s.trim());
                if (!Double.isFinite(d)) throw new NumberFormatException();
                return d;
            } catch (NumberFormatException e) {
                throw error(key, "expected a number, found '" + s + "'");
            }
        });
    }

    public Optional<Boolean> bool(String key) {
        return string(key).map(s -> {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.equals("true")) return true;
            if (t.equals("false")) return false;
            throw error(key, "expected true or false, found '" + s + "'");
        });
    }

    /** A list of scalars; a single scalar is a one-element list; absent gives empty. */
    public Optional<List<String>> strings(String key) {
        if (!config.containsKey(key)) {
            if (!config.configurationsAt(key).isEmpty()) throw error(key, "expected a list of values, found a mapping");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Object o : config.getList(Object.class, key)) {
            if (o instanceof java.util.Map<?, ?> || o instanceof java.util.Collection<?>)
                throw error(key, "expected a list of plain values");
            out.add(o == null ? "" : String.valueOf(o));
        }
        return Optional.of(out);
    }

    /** The single mapping under key. */
    public ConfigReader child(String key) {
        List<HierarchicalConfiguration<ImmutableNode>> subs = configurationsAtAny(key);
        if (subs.isEmpty()) throw error(key, "missing (required section)");
        if (subs.size() > 1) throw error(key, "expected one mapping, found a list");
        return new ConfigReader(subs.get(0), source, path(key) + ".", lines);
    }

    /** The list of mappings under key (e.g. {@code columns}); entries are named {@code key[i]}. */
    public List<ConfigReader> children(String key) {
        List<HierarchicalConfiguration<ImmutableNode>> subs = configurationsAtAny(key);
        List<ConfigReader> out = new ArrayList<>();
        for (int i = 0; i < subs.size(); i++) out.add(new ConfigReader(subs.get(i), source, path(key) + "[" + i + "].", lines));
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<HierarchicalConfiguration<ImmutableNode>> configurationsAtAny(String key) {
        List<?> subs = config.configurationsAt(key);
        return (List<HierarchicalConfiguration<ImmutableNode>>) subs;
    }

    /** Fails on keys at this level that are not in {@code known} (catches typos such as {@code missing_value}). */
    public void allowOnly(Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = config.getKeys(); it.hasNext(); ) {
            String k = it.next();
            int dot = k.indexOf('.');
            String top = dot < 0 ? k : k.substring(0, dot);
            if (!known.contains(top)) unknown.add(top);
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw error(first, "unknown key (expected one of " + new TreeSet<>(known) + ")");
        }
    }
}
