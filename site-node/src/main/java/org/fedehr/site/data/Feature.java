package org.fedehr.site.data;

/** One entry of the federation-wide feature dictionary. */
public record Feature(String name, FeatureType type) {
    public Feature {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        if (type == null) throw new IllegalArgumentException("type of feature '" + name + "' must not be null");
        if (name.contains("=") || name.contains("__"))
            throw new IllegalArgumentException("name must not contain '=' or '__' (used in encoded column names), was '" + name + "'");
    }
}
