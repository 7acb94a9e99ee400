package org.fedehr.site.data;

/** How a site's rows are split into train and test. */
public sealed interface SplitSpec permits SplitSpec.FromFile, SplitSpec.Seeded {

    /**
     * A split file (CSV with header) listing, per site, the 1-based line of each row in the data file and its set
     * ({@code train} or {@code test}). Rows of the data file not listed for this site are excluded.
     * When {@code siteColumn} is null every row of the split file belongs to this site.
     */
    record FromFile(String file, String siteColumn, String siteValue, String lineColumn, String setColumn) implements SplitSpec {
        public FromFile {
            if (file == null || file.isBlank()) throw new IllegalArgumentException("file must not be blank, was '" + file + "'");
            if (lineColumn == null || lineColumn.isBlank()) throw new IllegalArgumentException("lineColumn must not be blank, was '" + lineColumn + "'");
            if (setColumn == null || setColumn.isBlank()) throw new IllegalArgumentException("setColumn must not be blank, was '" + setColumn + "'");
            if (siteColumn != null && (siteValue == null || siteValue.isBlank()))
                throw new IllegalArgumentException("siteValue must be given with siteColumn '" + siteColumn + "', was '" + siteValue + "'");
        }
    }

    /** A seeded random split; stratified by label (each class split separately) when {@code stratify}. */
    record Seeded(double testFraction, long seed, boolean stratify) implements SplitSpec {
        public Seeded {
            if (!(testFraction > 0 && testFraction < 1))
                throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
        }
    }
}
