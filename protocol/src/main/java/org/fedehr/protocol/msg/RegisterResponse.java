package org.fedehr.protocol.msg;

import java.util.UUID;

/** The coordinator's answer to a registration: the run and a bearer token for this site's later calls. */
public record RegisterResponse(UUID runId, String siteId, String token, long pollTimeoutMs) {
}
