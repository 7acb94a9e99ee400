package org.fedehr.protocol.codec;

/** A binary frame that cannot be accepted; the message says which field is wrong and why. */
public class FrameFormatException extends RuntimeException {
    public FrameFormatException(String message) {
        super(message);
    }
}
