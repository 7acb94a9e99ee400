package org.fedehr.simulations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 *   sites: [../sites/physionet2012/icu1.yaml, ...]   # event site configs (relative to this file); data under
 *                                                    # FEDEHR_DATA / --data-root; one dictionary for all of them
 *   source: events             # optional: the only source (the config-driven event pipeline)
 *   test_fraction: 0.2         # stratified by label, per site
 *   split_seed: 7              # site i (from 1) splits with split_seed + i
 * federation: {...}  secure_aggregation: {...}  model: {...}  training: {...}     (see FederationSpec)
 * baselines: {pooled: true, local: true, epochs: 10, batch_size: 32, optimizer: adam, learning_rate: 0.001}
 * targets: {pooled_test_auroc: 0.82}
 * </pre>
 * The window, the bin width, the concepts and their aggregation, units and plausible ranges are the federation
 * dictionary's (every site config names the same one).
 */
public record LongitudinalScenario(Path file, String name, long seed, List<Path> siteFiles,
                                   double testFraction, long splitSeed, FederationSpec federation,
                                   boolean pooledBaseline, boolean localBaseline, TrainingSettings baselineTraining,
                                   Double targetPooledAuroc) {

    private static final Set<String> TOP = Set.of("name", "description", "seed", "longitudinal", "federation", "model",
            "training", "baselines", "targets", "secure_aggregation");
    private static final Set<String> LONGITUDINAL = Set.of("source", "sites", "test_fraction", "split_seed");

    /** Whether a scenario file describes a longitudinal federation (it has a {@code longitudinal:} section). */
    public static boolean isLongitudinal(Path file) {
        if (!Files.isRegularFile(file)) return false;
        return Yaml.load(file).has("longitudinal");
    }

    public LongitudinalScenario {
        siteFiles = List.copyOf(siteFiles);
    }

    public static LongitudinalScenario load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("scenario file not found: " + file);
        Yaml y = Yaml.load(file);
        y.onlyKeys("", TOP);
        y.onlyKeys("longitudinal", LONGITUDINAL);
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        String source = y.string("longitudinal.source", "events");
        if (!source.equals("events"))
            throw y.error("longitudinal.source", "'" + source + "' is not a source: sites are event site configs listed under"
                    + " longitudinal.sites (e.g. configs/sites/physionet2012/icu1.yaml, configs/sites/eicu/south.yaml)");
        List<String> names = y.strings("longitudinal.sites");
        if (names.isEmpty()) throw y.error("longitudinal.sites", "missing (required): a list of event site configuration files");
        List<Path> siteFiles = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Path p = dir.resolve(names.get(i)).normalize();
            if (!Files.isRegularFile(p)) throw y.error("longitudinal.sites[" + i + "]", "file not found: " + p);
            if (siteFiles.contains(p)) throw y.error("longitudinal.sites[" + i + "]", "listed twice: " + p);
            siteFiles.add(p);
        }
        double testFraction = y.number("longitudinal.test_fraction", 0.2);
        if (!(testFraction > 0 && testFraction < 1)) throw y.error("longitudinal.test_fraction", "must be in (0, 1), was " + testFraction);
        FederationSpec fed = FederationSpec.read(y, dir, siteFiles.size());
        long seed = y.longValue("seed", 42);
        if (seed == 0) throw y.error("seed", "0 is not allowed (DL4J treats seed 0 as 'no seed'); pick another value");
        y.onlyKeys("baselines", Set.of("pooled", "local", "epochs", "steps", "batch_size", "optimizer", "learning_rate"));
        TrainingSettings bt = y.has("baselines.epochs") || y.has("baselines.steps")
                ? baselineTraining(y) : fed.training();
        y.onlyKeys("targets", Set.of("pooled_test_auroc"));
        Double target = y.has("targets.pooled_test_auroc") ? y.number("targets.pooled_test_auroc", 0) : null;
        if (target != null && !(target >= 0 && target <= 1)) throw y.error("targets.pooled_test_auroc", "must be in [0, 1], was " + target);
        return new LongitudinalScenario(file, y.string("name", file.getFileName().toString().replaceFirst("\\.ya?ml$", "")), seed,
                siteFiles, testFraction, y.longValue("longitudinal.split_seed", 7), fed,
                y.bool("baselines.pooled", true), y.bool("baselines.local", true), bt, target);
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
        return new LongitudinalScenario(file, name, s, siteFiles, testFraction, splitSeed,
                federation, pooledBaseline, localBaseline, baselineTraining, targetPooledAuroc);
    }

    /** The same scenario with another federation (e.g. fewer rounds for a quick check). */
    public LongitudinalScenario withFederation(FederationSpec other) {
        return new LongitudinalScenario(file, name, seed, siteFiles, testFraction, splitSeed,
                other, pooledBaseline, localBaseline, baselineTraining, targetPooledAuroc);
    }

    /** The same scenario with other baseline settings. */
    public LongitudinalScenario withBaselines(boolean pooled, boolean local, TrainingSettings training) {
        return new LongitudinalScenario(file, name, seed, siteFiles, testFraction, splitSeed,
                federation, pooled, local, training, targetPooledAuroc);
    }
}
