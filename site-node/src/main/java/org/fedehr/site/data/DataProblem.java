package org.fedehr.site.data;

/** Kinds of problem found while reading a site's data. Row-level kinds can be dropped under {@code on_invalid_row: drop}. */
public enum DataProblem {
    /** A row has a different number of fields than the header (or the first data line). */
    WRONG_FIELD_COUNT(true, "wrong number of fields"),
    /** A numeric or binary column holds something that is not a finite decimal number. */
    NOT_A_NUMBER(true, "not a number"),
    /** A binary column holds a number other than 0 or 1. */
    NOT_BINARY(true, "binary value not 0 or 1"),
    /** The label column is missing. */
    MISSING_LABEL(true, "label missing"),
    /** The file has no data rows. */
    EMPTY_FILE(false, "no data rows"),
    /** The header line lacks a configured column. */
    BAD_HEADER(false, "bad header"),
    /** The split file is inconsistent with the data file or malformed. */
    BAD_SPLIT(false, "bad split file"),
    /** The file cannot be read. */
    UNREADABLE(false, "unreadable");

    private final boolean rowLevel;
    private final String label;

    DataProblem(boolean rowLevel, String label) {
        this.rowLevel = rowLevel;
        this.label = label;
    }

    /** Short description for reports, e.g. {@code not a number}. */
    public String label() {
        return label;
    }

    /** Whether this problem concerns one row only (and so may be dropped instead of failing). */
    public boolean rowLevel() {
        return rowLevel;
    }
}
