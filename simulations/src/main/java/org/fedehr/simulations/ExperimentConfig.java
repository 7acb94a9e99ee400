package org.fedehr.simulations;

import org.fedehr.simulations.faults.FaultSpec;
import org.fedehr.simulations.partition.PartitionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a scenario's {@code partition:} and {@code faults:} keys (see {@link PartitionSpec}, {@link FaultSpec}). */
final class ExperimentConfig {
    private ExperimentConfig() {
    }

    static final Set<String> PARTITION_KEYS = Set.of("source", "kind", "sites", "alpha", "power", "min_rows", "column",
            "test_fraction", "seed", "site_prefix", "feature_shift");
    static final Set<String> SHIFT_KEYS = Set.of("site", "feature", "scale", "offset");

    /** {@code partition:}, or null when absent. */
    static PartitionSpec partition(Yaml y, Path dir, long defaultSeed) {
        if (!y.has("partition")) return null;
        y.onlyKeys("partition", PARTITION_KEYS);
        String kindText = y.requiredString("partition.kind");
        PartitionSpec.Kind kind;
        try {
            kind = PartitionSpec.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw y.error("partition.kind", "unknown kind '" + kindText + "' (expected natural|iid|dirichlet|quantity)");
        }
        List<Path> sources = new ArrayList<>();
        List<String> given = y.strings("partition.source");
        for (int i = 0; i < given.size(); i++) {
            Path p = dir.resolve(given.get(i)).normalize();
            if (!Files.isRegularFile(p)) throw y.error("partition.source", "file not found: " + p);
            sources.add(p);
        }
        List<PartitionSpec.FeatureShift> shifts = new ArrayList<>();
        for (Yaml s : y.elements("partition.feature_shift")) {
            s.onlyKeys("", SHIFT_KEYS);
            if (!s.has("scale") && !s.has("offset")) throw s.error("scale", "give scale and/or offset");
            try {
                shifts.add(new PartitionSpec.FeatureShift(s.requiredString("site"), s.requiredString("feature"),
                        s.number("scale", 1.0), s.number("offset", 0.0)));
            } catch (IllegalArgumentException e) {
                throw s.error("site", e.getMessage());
            }
        }
        try {
            return new PartitionSpec(kind, sources, y.integer("partition.sites", 0),
                    y.has("partition.alpha") ? y.number("partition.alpha", 0) : Double.NaN,
                    y.has("partition.power") ? y.number("partition.power", 0) : Double.NaN,
                    y.integer("partition.min_rows", kind == PartitionSpec.Kind.QUANTITY ? 1 : 0),
                    y.string("partition.column", null), y.number("partition.test_fraction", 0.25),
                    y.longValue("partition.seed", defaultSeed), y.string("partition.site_prefix", "site"), shifts);
        } catch (IllegalArgumentException e) {
            throw y.error("partition", e.getMessage());
        }
    }

    static final Set<String> FAULT_KEYS = Set.of("seed", "dropout", "stragglers", "crash", "partition", "misbehaving", "errors",
            "duplicates");

    /** {@code faults:}, or null when absent. */
    static FaultSpec faults(Yaml y) {
        if (!y.has("faults")) return null;
        y.onlyKeys("faults", FAULT_KEYS);
        try {
            FaultSpec.Dropout dropout = null;
            if (y.has("faults.dropout")) {
                y.onlyKeys("faults.dropout", Set.of("probability", "sites", "from_round"));
                dropout = wrap(y, "faults.dropout", () -> new FaultSpec.Dropout(number(y, "faults.dropout.probability"),
                        y.strings("faults.dropout.sites"), y.integer("faults.dropout.from_round", 1)));
            }
            FaultSpec.Stragglers stragglers = null;
            if (y.has("faults.stragglers")) {
                String k = "faults.stragglers";
                y.onlyKeys(k, Set.of("distribution", "mean_seconds", "min_seconds", "max_seconds", "sigma", "probability", "sites", "rounds"));
                String d = y.string(k + ".distribution", "exponential");
                FaultSpec.Distribution dist;
                try {
                    dist = FaultSpec.Distribution.valueOf(d.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw y.error(k + ".distribution", "unknown distribution '" + d + "' (expected exponential|uniform|lognormal|fixed)");
                }
                if (dist != FaultSpec.Distribution.UNIFORM && !y.has(k + ".mean_seconds"))
                    throw y.error(k + ".mean_seconds", "missing (required for " + dist.yamlName() + ")");
                stragglers = wrap(y, k, () -> new FaultSpec.Stragglers(dist, y.number(k + ".mean_seconds", 0),
                        y.number(k + ".min_seconds", 0), y.number(k + ".max_seconds", 0), y.number(k + ".sigma", 0.5),
                        y.number(k + ".probability", 1.0), y.strings(k + ".sites"), ints(y, k + ".rounds")));
            }
            List<FaultSpec.Crash> crashes = new ArrayList<>();
            for (Yaml e : y.elements("faults.crash")) {
                e.onlyKeys("", Set.of("site", "at_round", "rejoin_round"));
                crashes.add(wrap(e, "at_round", () -> new FaultSpec.Crash(e.requiredString("site"), required(e, "at_round"),
                        e.integer("rejoin_round", 0))));
            }
            List<FaultSpec.NetworkPartition> partitions = new ArrayList<>();
            for (Yaml e : y.elements("faults.partition")) {
                e.onlyKeys("", Set.of("site", "from_round", "rounds"));
                partitions.add(wrap(e, "rounds", () -> new FaultSpec.NetworkPartition(e.requiredString("site"),
                        required(e, "from_round"), required(e, "rounds"))));
            }
            List<FaultSpec.Misbehaving> misbehaving = new ArrayList<>();
            for (Yaml e : y.elements("faults.misbehaving")) {
                e.onlyKeys("", Set.of("site", "mode", "factor", "from_round"));
                String m = e.requiredString("mode");
                FaultSpec.Mode mode;
                try {
                    mode = FaultSpec.Mode.valueOf(m.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    throw e.error("mode", "unknown mode '" + m + "' (expected sign_flip|scale|random)");
                }
                if (mode == FaultSpec.Mode.SCALE && !e.has("factor")) throw e.error("factor", "missing (required for scale)");
                misbehaving.add(wrap(e, "factor", () -> new FaultSpec.Misbehaving(e.requiredString("site"), mode,
                        e.number("factor", 1.0), e.integer("from_round", 1))));
            }
            return new FaultSpec(y.has("faults.seed") ? y.longValue("faults.seed", 0) : null, dropout, stragglers, crashes,
                    partitions, misbehaving, siteRounds(y, "faults.errors"), siteRounds(y, "faults.duplicates"));
        } catch (IllegalArgumentException e) {
            throw y.error("faults", e.getMessage());
        }
    }

    private static List<FaultSpec.SiteRounds> siteRounds(Yaml y, String key) {
        List<FaultSpec.SiteRounds> out = new ArrayList<>();
        for (Yaml e : y.elements(key)) {
            e.onlyKeys("", Set.of("site", "rounds"));
            List<Integer> rounds = ints(e, "rounds");
            out.add(wrap(e, "rounds", () -> new FaultSpec.SiteRounds(e.requiredString("site"), rounds)));
        }
        return out;
    }

    private static List<Integer> ints(Yaml y, String key) {
        List<Integer> rounds = new ArrayList<>();
        for (String r : y.strings(key)) {
            try {
                rounds.add(Integer.parseInt(r.trim()));
            } catch (NumberFormatException ex) {
                throw y.error(key, "expected a list of round numbers, found '" + r + "'");
            }
        }
        return rounds;
    }

    private static double number(Yaml y, String key) {
        if (!y.has(key)) throw y.error(key, "missing (required)");
        return y.number(key, 0);
    }

    private static int required(Yaml y, String key) {
        if (!y.has(key)) throw y.error(key, "missing (required)");
        return y.integer(key, 0);
    }

    /** Builds a value; a constructor's IllegalArgumentException becomes a message naming the file and key. */
    private static <T> T wrap(Yaml y, String key, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw y.error(key, e.getMessage());
        }
    }
}
