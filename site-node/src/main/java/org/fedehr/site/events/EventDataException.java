package org.fedehr.site.events;

/** An event extract is invalid under {@code on_invalid_event: fail}; the message names the file, line and field. */
public class EventDataException extends RuntimeException {
    public EventDataException(String message) {
        super(message);
    }

    public EventDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
