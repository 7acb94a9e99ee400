package org.fedehr.site.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A site's training and test rows, in file order, with the {@link ReadReport} that accounts for every line.
 */
public record SiteData(String siteId, List<Row> train, List<Row> test, ReadReport report) {
    public SiteData {
        if (siteId == null || siteId.isBlank()) throw new IllegalArgumentException("siteId must not be blank, was '" + siteId + "'");
        train = List.copyOf(train);
        test = List.copyOf(test);
        if (report == null) throw new IllegalArgumentException("report must not be null");
    }

    /**
     * Reads the site's data file and split as configured.
     *
     * @param dataRoot directory relative paths in the config are resolved against
     * @param dict     the federation-wide feature dictionary; the site's columns must agree with it
     * @throws DataConfigException when the site config does not agree with the dictionary
     * @throws DataFormatException when the data or split file is malformed (see {@link InvalidRowPolicy})
     */
    public static SiteData load(SiteDataConfig cfg, Path dataRoot, FeatureDictionary dict) {
        dict.requireCompatible(cfg);
        return new SiteDataReader(cfg, dataRoot, dict).read();
    }
}
