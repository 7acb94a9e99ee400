package org.fedehr.site.events.fhir;

import java.time.LocalDate;
import java.time.Period;

/** Static attributes of a patient read from a FHIR Patient resource (birth date and death date may be unknown). */
public record FhirStatics(String patient, LocalDate birthDate, String gender, LocalDate deceasedDate) {
    public FhirStatics {
        if (patient == null || patient.isBlank()) throw new IllegalArgumentException("patient must not be blank");
        if (gender == null || gender.isBlank()) gender = "unknown";
    }

    /** Completed years at {@code anchor}, or -1 when the birth date is unknown or after the anchor. */
    public int ageAt(LocalDate anchor) {
        if (birthDate == null || anchor.isBefore(birthDate)) return -1;
        return Period.between(birthDate, anchor).getYears();
    }
}
