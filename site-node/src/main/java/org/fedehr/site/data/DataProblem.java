package org.fedehr.site.data;

/** Kinds of problem found while reading a site's data. Row-level kinds can be dropped under {@code on_invalid_row: drop}. */
public enum DataProblem {
    /** A row has a different number of fields than the header (or the first data line). */
    WRONG_FIELD_COUNT(true),
    /** A numeric or binary column holds something that is not a finite decimal number. */
    NOT_A_NUMBER(true),
    /** A binary column holds a number other than 0 or 1. */
    NOT_BINARY(true),
    /** The label column is missing. */
    MISSING_LABEL(true),
    /** The file has no data rows. */
    EMPTY_FILE(false),
    /** The header line lacks a configured column. */
    BAD_HEADER(false),
    /** The split file is inconsistent with the data file or malformed. */
    BAD_SPLIT(false),
    /** The file cannot be read. */
    UNREADABLE(false);

    private final boolean rowLevel;

    DataProblem(boolean rowLevel) {
        this.rowLevel = rowLevel;
    }

    /** Whether this problem concerns one row only (and so may be dropped instead of failing). */
    public boolean rowLevel() {
        return rowLevel;
    }
}
