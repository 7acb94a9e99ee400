package org.fedehr.protocol.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and its private key, both also as PEM (the certificate as issued, the key as PKCS#8), e.g. the
 * coordinator's TLS server certificate. {@link #toString()} never shows the key.
 */
public record CertifiedKey(X509Certificate certificate, PrivateKey privateKey, String certificatePem, String privateKeyPem) {

    /** Writes the certificate (world-readable) and the key (new file, owner-only rw-------). */
    public void write(Path certFile, Path keyFile) {
        Pem.writeOwnerOnly(keyFile, privateKeyPem);
        Pem.writePublic(certFile, certificatePem);
    }

    @Override
    public String toString() {
        return "CertifiedKey[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
