package org.fedehr.site;

import org.fedehr.protocol.secagg.PeerVerifier;

import java.security.PrivateKey;

/**
 * What a site needs to take part in secure aggregation: the private key of its federation certificate (it signs the
 * round's ephemeral public keys with it, so the coordinator cannot substitute its own), that certificate, and how to
 * check the other sites' certificates (the federation CA, revocation, site id = certificate CN).
 */
public record SecAggIdentity(PrivateKey signingKey, String certificatePem, PeerVerifier verifier) {
    public SecAggIdentity {
        if (signingKey == null || certificatePem == null || verifier == null)
            throw new IllegalArgumentException("signing key, certificate and peer verifier are required for secure aggregation");
    }

    @Override
    public String toString() {
        return "SecAggIdentity[certificate, key not shown]";
    }
}
