package org.fedehr.protocol.msg;

/** A control message that cannot be accepted; the message names the problem. */
public class MessageFormatException extends RuntimeException {
    public MessageFormatException(String message) {
        super(message);
    }
}
