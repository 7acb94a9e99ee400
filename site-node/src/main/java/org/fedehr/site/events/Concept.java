package org.fedehr.site.events;

/**
 * One concept of the federation's event dictionary.
 *
 * @param name        federation-wide name (channel name)
 * @param kind        numeric, categorical or code set
 * @param unit        canonical UCUM unit of a numeric concept ("1" when dimensionless); null otherwise
 * @param min         lowest plausible value in the canonical unit (values below are dropped and counted); may be
 *                    -infinity
 * @param max         highest plausible value (values above are dropped and counted); may be +infinity
 * @param aggregation per-bin aggregation of a time-varying numeric concept
 * @param maxGapMinutes forward fill reaches at most this many minutes after the last observed bin (0 = no fill)
 * @param molarMass   g/mol, lets a substance amount (mol) convert to a mass (g) and back; NaN when not given
 * @param minCount    categories or codes seen fewer times federation-wide (stays) are pooled into "other"
 */
public record Concept(String name, ConceptKind kind, String unit, double min, double max, Aggregation aggregation,
                      int maxGapMinutes, double molarMass, int minCount) {

    public Concept {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be empty");
        if (name.contains(":")) throw new IllegalArgumentException("name must not contain ':', was '" + name + "'");
        if (kind == null) throw new IllegalArgumentException("kind must not be null (concept " + name + ")");
        if (kind == ConceptKind.NUMERIC && (unit == null || unit.isBlank()))
            throw new IllegalArgumentException("unit is required for numeric concept " + name);
        if (Double.isNaN(min) || Double.isNaN(max) || min > max)
            throw new IllegalArgumentException("range of " + name + " must have min <= max, was [" + min + ", " + max + "]");
        if (aggregation == null) throw new IllegalArgumentException("aggregation must not be null (concept " + name + ")");
        if (maxGapMinutes < 0) throw new IllegalArgumentException("maxGapMinutes of " + name + " must be >= 0, was " + maxGapMinutes);
        if (!Double.isNaN(molarMass) && !(molarMass > 0))
            throw new IllegalArgumentException("molarMass of " + name + " must be > 0, was " + molarMass);
        if (minCount < 1) throw new IllegalArgumentException("minCount of " + name + " must be >= 1, was " + minCount);
    }

    /** A numeric concept with the given range and aggregation. */
    public static Concept numeric(String name, String unit, double min, double max, Aggregation aggregation, int maxGapMinutes) {
        return new Concept(name, ConceptKind.NUMERIC, unit, min, max, aggregation, maxGapMinutes, Double.NaN, 1);
    }

    public Concept withMolarMass(double gramsPerMole) {
        return new Concept(name, kind, unit, min, max, aggregation, maxGapMinutes, gramsPerMole, minCount);
    }

    public boolean inRange(double v) {
        return v >= min && v <= max;
    }
}
