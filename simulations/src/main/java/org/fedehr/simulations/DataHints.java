package org.fedehr.simulations;

import org.fedehr.simulations.data.DataFetcher;
import org.fedehr.site.data.DataFileMissingException;

import java.nio.file.Path;

/** What to do about a missing site file, in the words of the {@code fedehr} command line. */
final class DataHints {
    static final String FLAMBY_SPLIT = "flamby_split.csv";

    private DataHints() {
    }

    /**
     * E.g. {@code set --data-root or FEDEHR_DATA to the folder holding heart_disease/, or run: fedehr data fetch
     * heart-disease --to DIR}; the fetch hint only for the files {@code fedehr data fetch} downloads.
     */
    static String forMissing(DataFileMissingException e) {
        Path configured = Path.of(e.configured());
        if (e.dataRoot() == null) return "the path is absolute: check it in the site config";
        Path top = configured.getNameCount() > 1 ? configured.getName(0) : null;
        String hint = "set --data-root or FEDEHR_DATA to the folder holding " + (top != null ? top + "/" : configured.toString());
        boolean fetchable = configured.getNameCount() == 2 && top.toString().equals(DataFetcher.HEART_DISEASE_DIR)
                && DataFetcher.HEART_DISEASE_MD5.containsKey(configured.getFileName().toString());
        if (fetchable) hint += ", or run: fedehr data fetch heart-disease --to DIR";
        boolean flambySplit = configured.getNameCount() == 2 && top.toString().equals(DataFetcher.HEART_DISEASE_DIR)
                && configured.getFileName().toString().equals(FLAMBY_SPLIT);
        if (flambySplit) hint += "; " + FLAMBY_SPLIT + " is not published by UCI and `fedehr data fetch` does not provide it:"
                + " configs/simulations/heart-disease-seeded.yaml runs on the four downloaded files alone";
        return hint;
    }
}
