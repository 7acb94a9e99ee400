package org.fedehr.site.events;

import java.util.Locale;

/** Kind of a dictionary concept. */
public enum ConceptKind {
    /** A measured quantity with a canonical UCUM unit and a plausible range. */
    NUMERIC,
    /** A value from a federated vocabulary of categories (statics only), one-hot encoded. */
    CATEGORICAL,
    /** A set of codes per stay (diagnoses, medications), multi-hot over a federated vocabulary. */
    CODE_SET;

    public static ConceptKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind must be one of numeric, categorical, code_set; was '" + s + "'");
        }
    }
}
