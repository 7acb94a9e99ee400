package org.fedehr.simulations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainingSettings;
import org.fedehr.site.sequence.SequenceSite;

/**
 * A simulated federation over longitudinal ICU data: stays resampled onto a regular grid at each site, a sequence
 * model (kind lstm) or an MLP over per-window summaries (kind mlp / logistic), FedAvg through the same coordinator and
 * site-node code as every other scenario. Recognised by its {@code longitudinal:} section.
 *
 * <pre>
 * name: physionet2012-mortality
 * seed: 42
 * longitudinal:
 *   source: physionet2012      # physionet2012 (sites = the 4 ICU types) | eicu (sites = regions, see EicuStays)
 *   window_hours: 48
 *   bin_hours: 1
 *   test_fraction: 0.2         # stratified by label, per site
 *   split_seed: 7
 *   min_site_stays: 100        # eicu: hospitals without a region, and regions below this, are pooled into "other"
 *   # or source: events + sites: [../sites/physionet2012/icu1.yaml, ...]: event site configs (org.fedehr.site.events;
 *   # window and bins from their dictionary's resampling: section, window_hours/bin_hours then unused)
 * federation: {...}  secure_aggregation: {...}  model: {...}  training: {...}     (see FederationSpec)
 * baselines: {pooled: true, local: true, epochs: 10, batch_size: 32, optimizer: adam, learning_rate: 0.001}
 * targets: {pooled_test_auroc: 0.82}
 * </pre>
 */
public record LongitudinalScenario(Path file, String name, long seed, String source, int windowHours, int binHours,
                                   double testFraction, long splitSeed, int minSiteStays, FederationSpec federation,
                                   boolean pooledBaseline, boolean localBaseline, TrainingSettings baselineTraining,
                                   Double targetPooledAuroc, java.util.List<Path> siteFiles) {

    public static final Set<String> SOURCES = Set.of("physionet2012", "eicu", "events");
    private static final Set<String> TOP = Set.of("name", "description", "seed", "longitudinal", "federation", "model",
            "training", "baselines", "targets", "secure_aggregation");
    private static final Set<String> LONGITUDINAL = Set.of("source", "window_hours", "bin_hours", "test_fraction",
            "split_seed", "min_site_stays", "sites");

    /** Whether a scenario file describes a longitudinal federation (it has a {@code longitudinal:} section). */
    public static boolean isLongitudinal(Path file) {
        if (!Files.isRegularFile(file)) return false;
        return Yaml.load(file).has("longitudinal");
    }

    public static LongitudinalScenario load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("scenario file not found: " + file);
        Yaml y = Yaml.load(file);
        y.onlyKeys("", TOP);
        y.onlyKeys("longitudinal", LONGITUDINAL);
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        String source = y.requiredString("longitudinal.source");
        if (!SOURCES.contains(source))
            throw y.error("longitudinal.source", "unknown source '" + source + "' (expected one of " + new java.util.TreeSet<>(SOURCES) + ")");
        int window = y.integer("longitudinal.window_hours", 48), bin = y.integer("longitudinal.bin_hours", 1);
        if (bin < 1 || window < bin || window % bin != 0)
            throw y.error("longitudinal.window_hours", "the window (" + window + " h) must be a positive multiple of bin_hours (" + bin + ")");
        double testFraction = y.number("longitudinal.test_fraction", 0.2);
        if (!(testFraction > 0 && testFraction < 1)) throw y.error("longitudinal.test_fraction", "must be in (0, 1), was " + testFraction);
        int minStays = y.integer("longitudinal.min_site_stays", 100);
        if (minStays < 1) throw y.error("longitudinal.min_site_stays", "must be >= 1, was " + minStays);
        java.util.List<Path> siteFiles = new java.util.ArrayList<>();
        if (source.equals("events")) {   // event site configs (org.fedehr.site.events): window and bins come from their dictionary
            java.util.List<String> names = y.strings("longitudinal.sites");
            if (names.isEmpty()) throw y.error("longitudinal.sites", "missing (required for source events): a list of event site configs");
            for (int i = 0; i < names.size(); i++) {
                Path p = dir.resolve(names.get(i)).normalize();
                if (!Files.isRegularFile(p)) throw y.error("longitudinal.sites[" + i + "]", "file not found: " + p);
                siteFiles.add(p);
            }
        } else if (y.has("longitudinal.sites")) {
            throw y.error("longitudinal.sites", "only for source events (" + source + " derives its sites from the data)");
        }
        int sites = source.equals("physionet2012") ? 4 : source.equals("events") ? siteFiles.size() : y.integer("federation.min_sites", 2);
        FederationSpec fed = FederationSpec.read(y, dir, sites);
        long seed = y.longValue("seed", 42);
        if (seed == 0) throw y.error("seed", "0 is not allowed (DL4J treats seed 0 as 'no seed'); pick another value");
        y.onlyKeys("baselines", Set.of("pooled", "local", "epochs", "steps", "batch_size", "optimizer", "learning_rate"));
        TrainingSettings bt = y.has("baselines.epochs") || y.has("baselines.steps")
                ? baselineTraining(y) : fed.training();
        y.onlyKeys("targets", Set.of("pooled_test_auroc"));
        Double target = y.has("targets.pooled_test_auroc") ? y.number("targets.pooled_test_auroc", 0) : null;
        if (target != null && !(target >= 0 && target <= 1)) throw y.error("targets.pooled_test_auroc", "must be in [0, 1], was " + target);
        return new LongitudinalScenario(file, y.string("name", file.getFileName().toString().replaceFirst("\\.ya?ml$", "")), seed,
                source, window, bin, testFraction, y.longValue("longitudinal.split_seed", 7), minStays, fed,
                y.bool("baselines.pooled", true), y.bool("baselines.local", true), bt, target, java.util.List.copyOf(siteFiles));
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

    /** The model for the harmonised layout: lstm over the sequences (with statics), others over the summaries. */
    public ModelSpec modelSpec(SequenceSite.Layout layout) {
        Map<String, Object> m = new HashMap<>(federation.model());
        if (ModelSpec.LSTM.equals(m.get("kind"))) {
            m.put("inputs", layout.channels());
            m.put("statics", layout.statics());
        } else {
            m.put("inputs", layout.summaries());
        }
        return ModelSpec.fromMap(m);
    }

    public LongitudinalScenario withSeed(long s) {
        if (s == 0) throw new ConfigException(file + ": seed 0 is not allowed (DL4J treats seed 0 as 'no seed')");
        return new LongitudinalScenario(file, name, s, source, windowHours, binHours, testFraction, splitSeed, minSiteStays,
                federation, pooledBaseline, localBaseline, baselineTraining, targetPooledAuroc, siteFiles);
    }

    /** The same scenario with another federation (e.g. fewer rounds for a quick check). */
    public LongitudinalScenario withFederation(FederationSpec other) {
        return new LongitudinalScenario(file, name, seed, source, windowHours, binHours, testFraction, splitSeed, minSiteStays,
                other, pooledBaseline, localBaseline, baselineTraining, targetPooledAuroc, siteFiles);
    }

    /** The same scenario with other baseline settings. */
    public LongitudinalScenario withBaselines(boolean pooled, boolean local, TrainingSettings training) {
        return new LongitudinalScenario(file, name, seed, source, windowHours, binHours, testFraction, splitSeed, minSiteStays,
                federation, pooled, local, training, targetPooledAuroc, siteFiles);
    }
}
