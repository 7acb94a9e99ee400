package org.fedehr.site.data;

import java.util.Arrays;

/**
 * One kept data row: its 1-based line in the data file, its canonical raw values in feature-dictionary order
 * ({@code null} = missing), its binary label (0 or 1) and, for survival data, its time (NaN when the site has no
 * survival time; the label is then the event indicator, 1 = event observed). {@link #toString()} never shows the values.
 */
public record Row(int line, String[] values, float label, float time) {
    /** A row with a binary label and no survival time. */
    public Row(int line, String[] values, float label) {
        this(line, values, label, Float.NaN);
    }

    public Row {
        if (line < 1) throw new IllegalArgumentException("line must be >= 1, was " + line);
        if (values == null) throw new IllegalArgumentException("values must not be null");
        if (label != 0f && label != 1f) throw new IllegalArgumentException("label must be 0 or 1, was " + label);
        if (!Float.isNaN(time) && !(time >= 0 && time < Float.POSITIVE_INFINITY))
            throw new IllegalArgumentException("time must be finite and >= 0 (or NaN: none) at line " + line);
        values = values.clone();
    }

    /** Whether the row carries a survival time. */
    public boolean hasTime() {
        return !Float.isNaN(time);
    }

    /** A copy of the values. */
    @Override
    public String[] values() {
        return values.clone();
    }

    /** The value of the i-th dictionary feature, or null when missing. */
    public String value(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.line == line && Float.compare(r.label, label) == 0 && Float.compare(r.time, time) == 0
                && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * line + Float.hashCode(label)) + Float.hashCode(time)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Row[line=" + line + ", " + values.length + " values]";
    }
}
