package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.configuration2.HierarchicalConfiguration;

/**
 * The federation-wide, ordered list of features the model uses, and the minimum federation-wide count a category
 * needs to get its own one-hot column (rarer categories are pooled into {@code __other__}).
 */
public record FeatureDictionary(List<Feature> features, int minCategoryCount) {

    private static final Set<String> ENTRY_KEYS = Set.of("name", "type");

    public FeatureDictionary {
        if (features == null || features.isEmpty()) throw new IllegalArgumentException("features must not be empty, was " + features);
        if (minCategoryCount < 1) throw new IllegalArgumentException("minCategoryCount must be >= 1, was " + minCategoryCount);
        features = List.copyOf(features);
        Set<String> names = new HashSet<>();
        for (Feature f : features) {
            if (!names.add(f.name())) throw new IllegalArgumentException("features: duplicate feature name '" + f.name() + "'");
        }
    }

    /** Reads {@code features: [{name, type}]} and {@code min_category_count} (default 1) from a YAML file. */
    public static FeatureDictionary load(Path yamlFile) {
        return fromConfiguration(ConfigReader.yaml(yamlFile));
    }

    /** Reads {@code features: [{name, type}]} and {@code min_category_count} (default 1) from a (sub)configuration. */
    public static FeatureDictionary fromConfiguration(HierarchicalConfiguration<?> config, String sourceName) {
        return fromConfiguration(new ConfigReader(config, sourceName, ""));
    }

    private static FeatureDictionary fromConfiguration(ConfigReader c) {
        List<ConfigReader> entries = c.children("features");
        if (entries.isEmpty()) throw c.error("features", "missing or empty");
        List<Feature> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigReader e : entries) {
            e.allowOnly(ENTRY_KEYS);
            String name = e.requiredString("name");
            if (!names.add(name)) throw e.error("name", "duplicate feature name '" + name + "'");
            String typeText = e.requiredString("type");
            FeatureType type = FeatureType.parse(typeText)
                    .orElseThrow(() -> e.error("type", "unknown type '" + typeText + "' (expected numeric|binary|categorical)"));
            try {
                features.add(new Feature(name, type));
            } catch (IllegalArgumentException ex) {
                throw e.error("name", ex.getMessage());
            }
        }
        int k = c.integer("min_category_count").orElse(1);
        if (k < 1) throw c.error("min_category_count", "must be >= 1, found " + k);
        return new FeatureDictionary(features, k);
    }

    public int size() {
        return features.size();
    }

    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    public Optional<Feature> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Checks that the site provides every dictionary feature with the same type and that the label column is not a
     * feature. Site columns that are neither features nor the label are allowed and ignored.
     *
     * @throws DataConfigException naming the site, the feature and both types
     */
    public void requireCompatible(SiteDataConfig site) {
        String who = "site '" + site.siteId() + "' (" + site.source() + ")";
        if (feature(site.label().column()).isPresent())
            throw new DataConfigException(who + ": label column '" + site.label().column()
                    + "' is also a feature of the feature dictionary; the label must not be a feature");
        if (site.label().timeColumn() != null && feature(site.label().timeColumn()).isPresent())
            throw new DataConfigException(who + ": label time column '" + site.label().timeColumn()
                    + "' is also a feature of the feature dictionary; the label must not be a feature");
        for (Feature f : features) {
            ColumnSpec col = site.column(f.name()).orElseThrow(() -> new DataConfigException(
                    who + ": feature '" + f.name() + "' of the feature dictionary has no entry in data.columns"));
            if (col.type() != f.type())
                throw new DataConfigException(who + ": " + site.columnKey(f.name()) + ".type: feature '" + f.name()
                        + "' is " + col.type().yamlName() + " at this site but " + f.type().yamlName() + " in the feature dictionary");
        }
    }
}
