package org.fedehr.site.data;

/** What to do with a row that cannot be read ({@code data.on_invalid_row}). */
public enum InvalidRowPolicy {
    /** Throw a {@link DataFormatException} naming file, line and column (default). */
    FAIL,
    /** Skip the row and count it in the {@link ReadReport} by reason. */
    DROP
}
