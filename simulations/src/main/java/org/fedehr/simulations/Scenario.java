package org.fedehr.simulations;

import org.fedehr.models.TrainingSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * </pre>
 */
public record Scenario(Path file, String name, long seed, List<Path> siteFiles, FederationSpec federation,
                       boolean pooledBaseline, boolean localBaseline, TrainingSettings baselineTraining) {

    private static final Set<String> TOP = Set.of("name", "description", "seed", "features", "sites", "federation",
            "model", "training", "baselines");

    public static Scenario load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("scenario file not found: " + file);
        Yaml y = Yaml.load(file);
        y.onlyKeys("", TOP);
        Path dir = file.toAbsolutePath().getParent();
        List<String> sites = y.strings("sites");
        if (sites.isEmpty()) throw y.error("sites", "missing (required): a list of site configuration files");
        List<Path> siteFiles = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            Path p = dir.resolve(sites.get(i)).normalize();
            if (!Files.isRegularFile(p)) throw y.error("sites[" + i + "]", "file not found: " + p);
            siteFiles.add(p);
        }
        FederationSpec fed = FederationSpec.read(y, dir, sites.size());
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
        return new Scenario(file, y.string("name", file.getFileName().toString().replaceFirst("\\.ya?ml$", "")),
                seed, List.copyOf(siteFiles), fed, pooled, local, bt);
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

    public Scenario withSeed(long s) {
        return new Scenario(file, name, s, siteFiles, federation, pooledBaseline, localBaseline, baselineTraining);
    }
}
