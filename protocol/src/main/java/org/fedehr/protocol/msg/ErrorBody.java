package org.fedehr.protocol.msg;

/** Body of every non-2xx response: HTTP status, a short machine code and a human message. */
public record ErrorBody(int status, String error, String message) {
}
