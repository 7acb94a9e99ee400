package org.fedehr.site.events;

import java.util.Locale;

/** How the events of one concept that fall into one bin become the bin's value. */
public enum Aggregation {
    MEAN, LAST, MIN, MAX, COUNT;

    public static Aggregation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aggregation must be one of mean, last, min, max, count; was '" + s + "'");
        }
    }
}
