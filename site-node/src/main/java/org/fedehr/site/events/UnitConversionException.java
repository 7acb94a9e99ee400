package org.fedehr.site.events;

/** A unit is not valid UCUM, or cannot be converted to a concept's canonical unit. */
public class UnitConversionException extends RuntimeException {
    public UnitConversionException(String message) {
        super(message);
    }
}
