package org.fedehr.protocol.secagg;

import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * Resolves and checks a peer's certificate (issuing CA, common name equal to the site id, validity period,
 * revocation ...) and returns the public key that signs that site's key adverts. Implementations throw, naming the
 * problem, when the certificate must not be trusted for {@code siteId}.
 */
@FunctionalInterface
public interface PeerVerifier {
    PublicKey verify(String siteId, String certificatePem) throws GeneralSecurityException;
}
