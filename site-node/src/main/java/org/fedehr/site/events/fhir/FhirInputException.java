package org.fedehr.site.events.fhir;

/**
 * Bad FHIR input: the message names the file, the NDJSON line or the bundle entry index, the resource and the
 * field, e.g. {@code obs.ndjson line 3: Observation/abc: effective[x]: missing (need a time)}.
 */
public final class FhirInputException extends RuntimeException {
    public FhirInputException(String message) {
        super(message);
    }

    public FhirInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
