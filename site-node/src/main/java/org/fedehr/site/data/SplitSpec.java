package org.fedehr.site.data;

/** How a site's rows are split into train and test. */
public sealed interface SplitSpec permits SplitSpec.FromFile, SplitSpec.Seeded {

    /**
     * A split file (CSV with header) listing, per site, the 1-based line of each row in the data file and its set
     * ({@code train} or {@code test}). Rows of the data file not listed for this site are excluded.
     * When {@code siteColumn} is null every row of the split file belongs to this site.
     */
    record FromFile(String file, String siteColumn, String siteValue, String lineColumn, String setColumn,
                    String keyColumn, String dataKey, String trainValue, String testValue) implements SplitSpec {

        /** Rows identified by their line in the data file, sets named {@code train} and {@code test}. */
        public FromFile(String file, String siteColumn, String siteValue, String lineColumn, String setColumn) {
            this(file, siteColumn, siteValue, lineColumn, setColumn, null, null, DEFAULT_TRAIN, DEFAULT_TEST);
        }

        public static final String DEFAULT_TRAIN = "train";
        public static final String DEFAULT_TEST = "test";

        /**
         * Either {@code lineColumn} (the split file gives each row's 1-based line in the data file) or
         * {@code keyColumn} with {@code dataKey} (the split file gives a key, e.g. a patient id, matched against the data
         * column {@code dataKey}). {@code trainValue} / {@code testValue} are the set column's values for this site's rows
         * (default train / test); when either is not the default, rows with other values belong to other sites.
         */
        public FromFile {
            if (file == null || file.isBlank()) throw new IllegalArgumentException("file must not be blank, was '" + file + "'");
            if ((keyColumn == null) != (dataKey == null))
                throw new IllegalArgumentException("keyColumn and dataKey go together, was '" + keyColumn + "' and '" + dataKey + "'");
            if (keyColumn != null && lineColumn != null)
                throw new IllegalArgumentException("give either lineColumn or keyColumn, not both");
            if (keyColumn == null && (lineColumn == null || lineColumn.isBlank()))
                throw new IllegalArgumentException("lineColumn must not be blank, was '" + lineColumn + "'");
            if (trainValue == null || trainValue.isBlank() || testValue == null || testValue.isBlank() || trainValue.equals(testValue))
                throw new IllegalArgumentException("trainValue and testValue must be distinct and not blank, was '" + trainValue
                        + "' and '" + testValue + "'");
            if (setColumn == null || setColumn.isBlank()) throw new IllegalArgumentException("setColumn must not be blank, was '" + setColumn + "'");
            if (siteColumn != null && (siteValue == null || siteValue.isBlank()))
                throw new IllegalArgumentException("siteValue must be given with siteColumn '" + siteColumn + "', was '" + siteValue + "'");
        }

        /** Whether rows are matched by key rather than by line number. */
        public boolean byKey() {
            return keyColumn != null;
        }

        /** Whether set values other than this site's train/test values mark other sites' rows (to be skipped). */
        boolean customSetValues() {
            return !DEFAULT_TRAIN.equals(trainValue) || !DEFAULT_TEST.equals(testValue);
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
