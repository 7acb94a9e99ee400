package org.fedehr.site.data;

import java.nio.file.Files;
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
     * @throws DataFileMissingException when the data or split file does not exist (checked before anything is read)
     * @throws DataFormatException when the data or split file is malformed (see {@link InvalidRowPolicy})
     */
    public static SiteData load(SiteDataConfig cfg, Path dataRoot, FeatureDictionary dict) {
        dict.requireCompatible(cfg);
        requireFiles(cfg, dataRoot);
        return new SiteDataReader(cfg, dataRoot, dict).read();
    }

    /**
     * Checks that the site's data file and (if the split is read from a file) its split file exist, without reading
     * them: a preflight that fails before a run prints anything.
     *
     * @throws DataFileMissingException naming the site, its config, the path as configured and the data root
     */
    public static void requireFiles(SiteDataConfig cfg, Path dataRoot) {
        requireFile(cfg, "data file", cfg.file(), dataRoot);
        if (cfg.split() instanceof SplitSpec.FromFile s) requireFile(cfg, "split file", s.file(), dataRoot);
    }

    private static void requireFile(SiteDataConfig cfg, String role, String configured, Path dataRoot) {
        Path p = dataRoot.resolve(configured);
        if (!Files.isRegularFile(p))
            throw new DataFileMissingException(cfg.siteId(), cfg.source(), role, configured,
                    Path.of(configured).isAbsolute() ? null : dataRoot);
    }
}
