package org.fedehr.site.events.fhir;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a read produced, in counts only (never a patient-level value): resources read per type, events emitted,
 * resources of other types skipped, and resources or values left out with the reason (documented policy).
 */
public record FhirReadReport(Map<String, Long> resources, long events, Map<String, Long> skippedTypes, Map<String, Long> leftOut) {
    public FhirReadReport {
        // sorted by name, so reports print the same way every time
        resources = java.util.Collections.unmodifiableMap(new TreeMap<>(resources));
        skippedTypes = java.util.Collections.unmodifiableMap(new TreeMap<>(skippedTypes));
        leftOut = java.util.Collections.unmodifiableMap(new TreeMap<>(leftOut));
    }

    /** Resources of one type read. */
    public long resources(String type) {
        return resources.getOrDefault(type, 0L);
    }

    static final class Counter {
        final Map<String, Long> resources = new TreeMap<>();
        final Map<String, Long> skipped = new TreeMap<>();
        final Map<String, Long> leftOut = new TreeMap<>();
        long events;

        FhirReadReport report() {
            return new FhirReadReport(resources, events, skipped, leftOut);
        }
    }
}
