package org.fedehr.site.events.fhir;

import java.time.Instant;

/**
 * One event read from FHIR, in the long event shape of the site's event sources: patient, stay (the encounter the
 * resource points to, or null), time, concept code ({@code system:code}, e.g. {@code LOINC:8480-6},
 * {@code SNOMED:44054006}, {@code RXNORM:310798}), a numeric value (NaN when the event has none) with its unit
 * (UCUM code when the resource gives one), or a text value (coded or string observation values), and the FHIR
 * resource type it came from.
 */
public record FhirEvent(String patient, String stay, Instant time, String code, double value, String unit, String text,
                        String resourceType) {
    public FhirEvent {
        if (patient == null || patient.isBlank()) throw new IllegalArgumentException("patient must not be blank");
        if (time == null) throw new IllegalArgumentException("time must not be null (patient event " + code + ")");
        if (code == null || code.isBlank()) throw new IllegalArgumentException("code must not be blank");
        if (resourceType == null || resourceType.isBlank()) throw new IllegalArgumentException("resourceType must not be blank");
        if (Double.isInfinite(value)) throw new IllegalArgumentException("value must be finite or NaN (none), was " + value);
    }

    /** Whether the event carries a number. */
    public boolean numeric() {
        return !Double.isNaN(value);
    }
}
