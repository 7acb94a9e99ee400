package org.fedehr.simulations.synthea;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A binary prediction task over Synthea's longitudinal records: among patients alive and at least
 * {@code minAge} years old at the {@code anchor} date, seen at least once in the {@code lookbackYears} before it
 * and without any {@code outcomeCodes} condition (or {@code excludeCodes}) starting on or before it, predict
 * whether an {@code outcomeCodes} condition starts within {@code horizonYears} after it. Features are computed
 * from the lookback window only: per {@link Measurement} the last and the mean value, per {@link History} whether
 * one of its conditions started on or before the anchor, the last value of each {@link Category} observation,
 * the number of medications active at the anchor, age and sex.
 */
public record CohortTask(LocalDate anchor, int lookbackYears, int horizonYears, int minAge, Set<String> outcomeCodes,
                         Set<String> excludeCodes, List<Measurement> measurements, List<History> histories,
                         List<Category> categories) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** A numeric observation (LOINC code) expected in one unit (Synthea's UCUM spelling, e.g. {@code mm[Hg]}). */
    public record Measurement(String name, String loinc, String unit) {
        public Measurement {
            checkName(name);
            if (loinc == null || loinc.isBlank()) throw new IllegalArgumentException("loinc of measurement '" + name + "' must not be blank");
            if (unit == null || unit.isBlank()) throw new IllegalArgumentException("unit of measurement '" + name + "' must not be blank");
        }
    }

    /** A history flag: 1 when a condition with one of {@code codes} (SNOMED CT) started on or before the anchor. */
    public record History(String name, Set<String> codes) {
        public History {
            checkName(name);
            if (codes == null || codes.isEmpty()) throw new IllegalArgumentException("codes of history '" + name + "' must not be empty");
            codes = Set.copyOf(codes);
        }
    }

    /** A categorical observation (LOINC code with a text value, e.g. tobacco smoking status 72166-2): its last value. */
    public record Category(String name, String loinc) {
        public Category {
            checkName(name);
            if (loinc == null || loinc.isBlank()) throw new IllegalArgumentException("loinc of category '" + name + "' must not be blank");
        }
    }

    public CohortTask {
        if (anchor == null) throw new IllegalArgumentException("anchor must not be null");
        if (lookbackYears < 1) throw new IllegalArgumentException("lookbackYears must be >= 1, was " + lookbackYears);
        if (horizonYears < 1) throw new IllegalArgumentException("horizonYears must be >= 1, was " + horizonYears);
        if (minAge < 0) throw new IllegalArgumentException("minAge must be >= 0, was " + minAge);
        if (outcomeCodes == null || outcomeCodes.isEmpty()) throw new IllegalArgumentException("outcomeCodes must not be empty");
        outcomeCodes = Set.copyOf(outcomeCodes);
        excludeCodes = excludeCodes == null ? Set.of() : Set.copyOf(excludeCodes);
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        histories = histories == null ? List.of() : List.copyOf(histories);
        categories = categories == null ? List.of() : List.copyOf(categories);
        Set<String> names = new HashSet<>(Set.of("age", "male", "active_medications", "label"));
        for (Measurement m : measurements)
            if (!names.add(m.name() + "_last") || !names.add(m.name() + "_mean"))
                throw new IllegalArgumentException("feature name '" + m.name() + "' is used twice");
        for (History h : histories) if (!names.add(h.name())) throw new IllegalArgumentException("feature name '" + h.name() + "' is used twice");
        for (Category c : categories) if (!names.add(c.name())) throw new IllegalArgumentException("feature name '" + c.name() + "' is used twice");
    }

    /** First day of the lookback window. */
    public LocalDate windowStart() {
        return anchor.minusYears(lookbackYears);
    }

    /** Last day of the horizon. */
    public LocalDate horizonEnd() {
        return anchor.plusYears(horizonYears);
    }

    /** The feature columns of the table, in order (then the {@code label} column). */
    public List<String> columns() {
        List<String> c = new java.util.ArrayList<>(List.of("age", "male"));
        for (Measurement m : measurements) {
            c.add(m.name() + "_last");
            c.add(m.name() + "_mean");
        }
        for (History h : histories) c.add(h.name());
        for (Category k : categories) c.add(k.name());
        c.add("active_medications");
        return c;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches())
            throw new IllegalArgumentException("name must be 1-40 characters [a-z0-9_] starting with a letter, was '" + name + "'");
    }
}
