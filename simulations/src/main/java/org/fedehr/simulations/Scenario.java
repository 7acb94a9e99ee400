package org.fedehr.simulations;

import org.fedehr.models.TrainingSettings;
import org.fedehr.simulations.faults.FaultSpec;
import org.fedehr.simulations.partition.PartitionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated federation on one machine: the federation spec, the site configuration files (each site node
 * reads only its own), the seed, and the baselines to train on the same splits and features.
 *
 * <pre>
 * name: heart-disease
 * seed: 42
 * features: ../federations/heart-disease/features.yaml
 * sites: [../sites/heart-disease/cleveland.yaml, ...]
 * federation: {...}   model: {...}   training: {...}          (see FederationSpec)
 * baselines: {pooled: true, local: true, epochs: 50, batch_size: 4, optimizer: adam, learning_rate: 0.001}
 * targets: {pooled_test_accuracy: 0.78, mean_site_accuracy: 0.76, over_seeds: {pooled_test_accuracy: 0.79}}
 * site_policy: ../sites/heart-disease/policy.yaml   # optional: every site runs under this policy file
 * mode: network                                      # or in-process (see ExecutionMode); default network
 * workers: 2                                         # in-process only: worker threads (default: available cores)
 * partition: {source: ../sites/heart-disease/cleveland.yaml, kind: dirichlet, sites: 10, alpha: 0.5}  # optional
 * faults: {dropout: {probability: 0.2}, crash: [{site: va, at_round: 3, rejoin_round: 6}], ...}    # optional
 * </pre>
 * With a {@code partition} that has a {@code source}, {@code sites} is not given: the sites are the partition's.
 *
 * @param partition how sites get their rows ({@link PartitionSpec}), or null: one site per file of {@code siteFiles}
 * @param faults    faults injected into the run ({@link FaultSpec}), or null
 */
public record Scenario(Path file, String name, long seed, List<Path> siteFiles, FederationSpec federation,
                       boolean pooledBaseline, boolean localBaseline, TrainingSettings baselineTraining,
                       Targets targets, Path sitePolicy, ExecutionMode mode, int workers,
                       PartitionSpec partition, FaultSpec faults) {

    public Scenario {
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
        if (workers < 0) throw new IllegalArgumentException("workers must be >= 0 (0 = available cores), was " + workers);
    }

    /** A scenario in network mode (every site an HTTPS client), without partitioning or faults. */
    public Scenario(Path file, String name, long seed, List<Path> siteFiles, FederationSpec federation, boolean pooledBaseline,
                    boolean localBaseline, TrainingSettings baselineTraining, Targets targets, Path sitePolicy) {
        this(file, name, seed, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets, sitePolicy,
                ExecutionMode.NETWORK, 0, null, null);
    }

    /** The same scenario run in another mode ({@code workers}: in-process worker threads, 0 = available cores). */
    public Scenario withMode(ExecutionMode m, int w) {
        return new Scenario(file, name, seed, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets,
                sitePolicy, m, w, partition, faults);
    }

    /** The same scenario with other faults (null: none). */
    public Scenario withFaults(FaultSpec f) {
        return new Scenario(file, name, seed, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets,
                sitePolicy, mode, workers, partition, f);
    }

    /**
     * The number of sites the scenario runs: the partition's, or one per site file; for a natural partition by column
     * (known only once the data is read) the federation's {@code min_sites}.
     */
    public int siteCount() {
        if (partition == null || !partition.repartitions()) return siteFiles.size();
        return partition.kind() == PartitionSpec.Kind.NATURAL ? federation.policy().minSites() : partition.sites();
    }

    /** A scenario whose sites run without a policy file (each admits everything; the egress guard still applies). */
    public Scenario(Path file, String name, long seed, List<Path> siteFiles, FederationSpec federation, boolean pooledBaseline,
                    boolean localBaseline, TrainingSettings baselineTraining, Targets targets) {
        this(file, name, seed, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets, null);
    }

    /** The same scenario with every site under the given policy file (null: none). */
    public Scenario withSitePolicy(Path policy) {
        return new Scenario(file, name, seed, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets, policy,
                mode, workers, partition, faults);
    }

    /** The same scenario with another federation spec (e.g. secure aggregation switched off for a comparison). */
    public Scenario withFederation(FederationSpec other) {
        return new Scenario(file, name, seed, siteFiles, other, pooledBaseline, localBaseline, baselineTraining, targets, sitePolicy,
                mode, workers, partition, faults);
    }

    /** The federated figures a scenario promises to reach (checked and printed after the run). */
    public record Targets(Map<String, Double> perSeed, Map<String, Double> overSeeds) {
        /** The metrics a target can name, in the order they are reported. */
        public static final List<String> ORDER = List.of("pooled_test_accuracy", "mean_site_accuracy", "pooled_test_auroc",
                "pooled_test_c_index", "mean_site_c_index");
        public static final Set<String> METRICS = Set.copyOf(ORDER);
        public static final Targets NONE = new Targets(Map.of(), Map.of());

        public Targets {
            perSeed = ordered(perSeed);
            overSeeds = ordered(overSeeds);
            for (Map<String, Double> m : List.of(perSeed, overSeeds))
                for (var e : m.entrySet()) {
                    if (!METRICS.contains(e.getKey()))
                        throw new IllegalArgumentException("unknown target metric '" + e.getKey() + "' (expected one of " + new TreeSet<>(METRICS) + ")");
                    if (!(e.getValue() >= 0 && e.getValue() <= 1))
                        throw new IllegalArgumentException("target " + e.getKey() + " must be in [0, 1], was " + e.getValue());
                }
        }

        /** An unmodifiable copy iterating in {@link #ORDER} (unknown keys last, so the check above can name them). */
        private static Map<String, Double> ordered(Map<String, Double> m) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String k : ORDER) if (m.containsKey(k)) out.put(k, m.get(k));
            new TreeMap<>(m).forEach(out::putIfAbsent);
            return Collections.unmodifiableMap(out);
        }
    }

    private static final Set<String> TOP = Set.of("name", "description", "seed", "features", "sites", "federation",
            "model", "training", "baselines", "targets", "secure_aggregation", "site_policy", "mode", "workers", "partition", "faults",
            ScenarioGrid.KEY, "flamby",   // flamby: read by FlambyComparison
            "synthea");   // synthea: generated sites (read by SyntheaScenario)

    /** Reads a scenario file; a {@code grid:} in it is read by {@link ScenarioGrid#load} (here it is not run). */
    public static Scenario load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("scenario file not found: " + file);
        return from(Yaml.load(file), file);
    }

    /** The scenario of an already read file (a grid configuration is the file with some keys overridden). */
    static Scenario from(Yaml y, Path file) {
        y.onlyKeys("", TOP);
        // relative to the scenario file, kept relative when it was given so (messages show the paths as the user knows them)
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        List<String> sites = y.strings("sites");
        long seed0 = y.longValue("seed", 42);
        PartitionSpec partition = ExperimentConfig.partition(y, dir, seed0 == 0 ? 42 : seed0);
        boolean fromSource = partition != null && partition.repartitions();
        if (fromSource && !sites.isEmpty())
            throw y.error("sites", "give either sites or partition.source (the partition makes the sites), not both");
        if (sites.isEmpty() && !fromSource) throw y.error("sites", "missing (required): a list of site configuration files");
        List<Path> siteFiles = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            Path p = dir.resolve(sites.get(i)).normalize();
            if (!Files.isRegularFile(p)) throw y.error("sites[" + i + "]", "file not found: " + p);
            siteFiles.add(p);
        }
        if (fromSource) siteFiles.addAll(partition.sources());
        int siteCount = !fromSource ? sites.size() : partition.kind() == PartitionSpec.Kind.NATURAL ? 1 : partition.sites();
        if (fromSource && partition.kind() == PartitionSpec.Kind.NATURAL && !y.has("federation.min_sites"))
            throw y.error("federation.min_sites", "required with a natural partition by column (the number of sites is known only once the data is read)");
        FederationSpec fed = FederationSpec.read(y, dir, siteCount);
        FaultSpec faults = ExperimentConfig.faults(y);
        FlambyComparison.readSpec(y);   // a bad flamby: block fails when the scenario is loaded
        long seed = y.longValue("seed", 42);
        if (seed == 0) throw y.error("seed", "0 is not allowed (DL4J treats seed 0 as 'no seed'); pick another value");
        y.onlyKeys("baselines", Set.of("pooled", "local", "epochs", "steps", "batch_size", "optimizer", "learning_rate"));
        boolean pooled = y.bool("baselines.pooled", true), local = y.bool("baselines.local", true);
        TrainingSettings bt;
        if (y.has("baselines.epochs") || y.has("baselines.steps")) {
            bt = baselineTraining(y);
        } else {
            bt = fed.training();
        }
        Path policy = null;
        if (y.has("site_policy")) {   // every site of the simulation runs under this policy file (its own state per site)
            policy = dir.resolve(y.requiredString("site_policy")).normalize();
            if (!Files.isRegularFile(policy)) throw y.error("site_policy", "file not found: " + policy);
            try {
                org.fedehr.site.policy.SitePolicy.load(policy);
            } catch (RuntimeException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        ExecutionMode mode;
        try {
            mode = ExecutionMode.parse(y.string("mode", "network"));
        } catch (IllegalArgumentException e) {
            throw y.error("mode", e.getMessage());
        }
        int workers = y.integer("workers", 0);
        if (workers < 0) throw y.error("workers", "must be >= 0 (0 = available cores), was " + workers);
        if (faults != null && mode == ExecutionMode.IN_PROCESS)
            throw y.error("faults", "fault injection acts on each site's network link and runs in mode: network only");
        return new Scenario(file, y.string("name", file.getFileName().toString().replaceFirst("\\.ya?ml$", "")),
                seed, List.copyOf(siteFiles), fed, pooled, local, bt, targets(y), policy, mode, workers, partition, faults);
    }

    /** {@code targets: {pooled_test_accuracy: 0.78, ..., over_seeds: {pooled_test_accuracy: 0.79, ...}}} */
    private static Targets targets(Yaml y) {
        Set<String> allowed = new TreeSet<>(Targets.METRICS);
        allowed.add("over_seeds");
        y.onlyKeys("targets", allowed);
        y.onlyKeys("targets.over_seeds", Targets.METRICS);
        Map<String, Double> per = new TreeMap<>(), over = new TreeMap<>();
        for (String m : Targets.ORDER) {
            if (y.has("targets." + m)) per.put(m, y.number("targets." + m, 0));
            if (y.has("targets.over_seeds." + m)) over.put(m, y.number("targets.over_seeds." + m, 0));
        }
        try {
            return new Targets(per, over);
        } catch (IllegalArgumentException e) {
            throw y.error("targets", e.getMessage());
        }
    }

    private static TrainingSettings baselineTraining(Yaml y) {
        try {
            return new TrainingSettings(y.integer("baselines.epochs", 0), y.integer("baselines.steps", 0),
                    y.integer("baselines.batch_size", TrainingSettings.DEFAULT_BATCH_SIZE),
                    y.string("baselines.optimizer", TrainingSettings.DEFAULT_OPTIMIZER),
                    y.number("baselines.learning_rate", TrainingSettings.DEFAULT_LEARNING_RATE));
        } catch (IllegalArgumentException e) {
            throw y.error("baselines", e.getMessage());
        }
    }

    /** The same scenario without pooled and local-only baselines (a grid trains them once per seed, not per strategy). */
    public Scenario withoutBaselines() {
        return new Scenario(file, name, seed, siteFiles, federation, false, false, baselineTraining, targets, sitePolicy,
                mode, workers, partition, faults);
    }

    public Scenario withSeed(long s) {
        return new Scenario(file, name, s, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining, targets, sitePolicy,
                mode, workers, partition, faults);
    }
}
