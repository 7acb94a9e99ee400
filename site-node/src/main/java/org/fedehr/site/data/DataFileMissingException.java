package org.fedehr.site.data;

import java.nio.file.Path;

/**
 * A site's data or split file does not exist where its config says (relative paths are resolved against the data
 * root). The message names the site, its config file, the path as configured and the data root, e.g.
 * {@code site cleveland (configs/sites/heart-disease/cleveland.yaml): data file heart_disease/processed.cleveland.data
 * not found under data root /data}.
 */
public class DataFileMissingException extends RuntimeException {
    private final String siteId;
    private final String role;
    private final String configured;
    private final Path dataRoot;

    /**
     * @param role       {@code data file} or {@code split file}
     * @param configured the path as written in the config
     * @param dataRoot   the data root it was resolved against, or null when it is absolute
     */
    public DataFileMissingException(String siteId, String configSource, String role, String configured, Path dataRoot) {
        super("site " + siteId + " (" + configSource + "): " + role + " " + configured + " not found"
                + (dataRoot == null ? "" : " under data root " + dataRoot));
        this.siteId = siteId;
        this.role = role;
        this.configured = configured;
        this.dataRoot = dataRoot;
    }

    public String siteId() {
        return siteId;
    }

    /** {@code data file} or {@code split file}. */
    public String role() {
        return role;
    }

    /** The path as written in the site config. */
    public String configured() {
        return configured;
    }

    /** The data root the path was resolved against, or null for an absolute path. */
    public Path dataRoot() {
        return dataRoot;
    }
}
