package org.fedehr.site.data;

import java.util.Set;
import java.util.TreeSet;

/**
 * One column a site reads: the concept name it maps to, where it is in the file (0-based {@code index}, or a
 * {@code header} name when the file has a header), its type, and site-specific values that mean "missing".
 * Missing values are stored in canonical form (numeric-looking values as their shortest decimal).
 */
public record ColumnSpec(String name, Integer index, String header, FeatureType type, Set<String> missingValues) {
    public ColumnSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        if (type == null) throw new IllegalArgumentException("type of column '" + name + "' must not be null");
        if ((index == null) == (header == null))
            throw new IllegalArgumentException("column '" + name + "' needs exactly one of index or header, was index=" + index + ", header=" + header);
        if (index != null && index < 0) throw new IllegalArgumentException("index of column '" + name + "' must be >= 0, was " + index);
        TreeSet<String> canon = new TreeSet<>();
        if (missingValues != null) for (String v : missingValues) canon.add(Values.canonicalCategory(v));
        missingValues = Set.copyOf(canon);
    }

    /** Where the column is, for messages: {@code index 4} or {@code header 'chol'}. */
    public String location() {
        return index != null ? "index " + index : "header '" + header + "'";
    }
}
