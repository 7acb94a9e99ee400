package org.fedehr.site.events.fhir;

/** Receives what a {@link FhirReader} reads, resource by resource. */
public interface FhirSink {
    void statics(FhirStatics statics);

    void event(FhirEvent event);

    /** Called after a bundle that holds one patient's record has been read completely (not for NDJSON). */
    default void patientDone(String patient) {
    }
}
