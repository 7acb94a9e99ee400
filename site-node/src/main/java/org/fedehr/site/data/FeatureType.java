package org.fedehr.site.data;

import java.util.Locale;
import java.util.Optional;

/** How a feature's values are read and harmonised. */
public enum FeatureType {
    /** A real number; standardised with the federation-wide mean and sample standard deviation. */
    NUMERIC,
    /** 0 or 1; handled like a numeric feature once read. */
    BINARY,
    /** A code from a finite vocabulary; one-hot encoded over the federation-wide vocabulary. */
    CATEGORICAL;

    /** The spelling used in YAML files: {@code numeric}, {@code binary}, {@code categorical}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the YAML spelling (case-insensitive); empty if unknown. */
    public static Optional<FeatureType> parse(String text) {
        if (text == null) return Optional.empty();
        for (FeatureType t : values()) {
            if (t.yamlName().equalsIgnoreCase(text.trim())) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** Whether values are numbers (NUMERIC and BINARY). */
    public boolean isNumber() {
        return this != CATEGORICAL;
    }
}
