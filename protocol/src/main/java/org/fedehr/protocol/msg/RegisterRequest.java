package org.fedehr.protocol.msg;

/** A site announces itself. */
public record RegisterRequest(String siteId, int protocolVersion) {
    public RegisterRequest {
        if (siteId == null || !siteId.matches("[A-Za-z0-9_.-]{1,64}"))
            throw new IllegalArgumentException("siteId must be 1-64 chars of [A-Za-z0-9_.-], was " + siteId);
    }
}
