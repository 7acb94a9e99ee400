package org.fedehr.protocol.secagg;

import java.util.Arrays;
import java.util.Objects;

/**
 * Stage 0 message of a site: two fresh X25519 public keys (raw 32-byte little-endian u-coordinates) for one round,
 * the site's certificate, and its signature over (runId, round, siteId, both keys) made with the certificate's key.
 * Public information: anyone may see it.
 */
public record KeyAdvert(String siteId, byte[] encryptionPublicKey, byte[] maskingPublicKey, String certificatePem,
                        byte[] signature) {

    public KeyAdvert {
        if (siteId == null || siteId.isBlank()) throw new IllegalArgumentException("siteId must not be blank, was '" + siteId + "'");
        Objects.requireNonNull(encryptionPublicKey, "encryptionPublicKey");
        Objects.requireNonNull(maskingPublicKey, "maskingPublicKey");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(signature, "signature");
        encryptionPublicKey = encryptionPublicKey.clone();
        maskingPublicKey = maskingPublicKey.clone();
        signature = signature.clone();
    }

    @Override public byte[] encryptionPublicKey() { return encryptionPublicKey.clone(); }
    @Override public byte[] maskingPublicKey() { return maskingPublicKey.clone(); }
    @Override public byte[] signature() { return signature.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof KeyAdvert a && siteId.equals(a.siteId) && Arrays.equals(encryptionPublicKey, a.encryptionPublicKey)
                && Arrays.equals(maskingPublicKey, a.maskingPublicKey) && certificatePem.equals(a.certificatePem)
                && Arrays.equals(signature, a.signature);
    }

    @Override public int hashCode() {
        return Objects.hash(siteId, Arrays.hashCode(encryptionPublicKey), Arrays.hashCode(maskingPublicKey), certificatePem,
                Arrays.hashCode(signature));
    }

    @Override public String toString() {
        return "KeyAdvert[siteId=" + siteId + "]";
    }
}
