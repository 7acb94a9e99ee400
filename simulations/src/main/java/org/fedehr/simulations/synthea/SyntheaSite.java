package org.fedehr.simulations.synthea;

import java.util.regex.Pattern;

/**
 * One synthetic hospital: Synthea generates {@code population} living patients of {@code city, state}
 * (US state name as Synthea knows it, e.g. {@code Massachusetts}; city optional) from {@code seed}.
 */
public record SyntheaSite(String id, String state, String city, int population, long seed) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    public SyntheaSite {
        if (id == null || !ID.matcher(id).matches())
            throw new IllegalArgumentException("id must be 1-40 characters [a-z0-9_-] starting with a letter or digit, was '" + id + "'");
        if (state == null || state.isBlank()) throw new IllegalArgumentException("state of site '" + id + "' must not be blank");
        if (city != null && city.isBlank()) city = null;
        if (population < 1 || population > 100_000)
            throw new IllegalArgumentException("population of site '" + id + "' must be in [1, 100000], was " + population);
        if (seed == 0) throw new IllegalArgumentException("seed of site '" + id + "' must not be 0");
    }

    /** {@code Boston, Massachusetts} or {@code Massachusetts}. */
    public String place() {
        return city == null ? state : city + ", " + state;
    }
}
