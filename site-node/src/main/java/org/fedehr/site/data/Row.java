package org.fedehr.site.data;

import java.util.Arrays;

/**
 * One kept data row: its 1-based line in the data file, its canonical raw values in feature-dictionary order
 * ({@code null} = missing) and its binary label (0 or 1). {@link #toString()} never shows the values.
 */
public record Row(int line, String[] values, float label) {
    public Row {
        if (line < 1) throw new IllegalArgumentException("line must be >= 1, was " + line);
        if (values == null) throw new IllegalArgumentException("values must not be null");
        if (label != 0f && label != 1f) throw new IllegalArgumentException("label must be 0 or 1, was " + label);
        values = values.clone();
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
        return o instanceof Row r && r.line == line && Float.compare(r.label, label) == 0 && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * line + Float.hashCode(label)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Row[line=" + line + ", " + values.length + " values]";
    }
}
