package org.fedehr.protocol.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A site's identity in the federation: its private key and the certificate the federation CA issued for it
 * ({@code CN=<siteId>}). It authenticates the site's TLS connections to the coordinator and can sign what the
 * site publishes (e.g. its ephemeral key-agreement keys). {@link #toString()} never shows the key.
 */
public record SiteIdentity(String siteId, PrivateKey privateKey, X509Certificate certificate, String certificatePem,
                           String privateKeyPem) {
    public SiteIdentity {
        FederationCa.requireSiteId(siteId);
        if (privateKey == null || certificate == null || certificatePem == null || privateKeyPem == null)
            throw new IllegalArgumentException("site identity needs a key and a certificate");
    }

    /** From PEM texts; {@code what} names their source in errors. The site id is the certificate's CN. */
    public static SiteIdentity of(String certificatePem, String privateKeyPem, String certWhat, String keyWhat) {
        X509Certificate cert;
        try {
            cert = Pem.certificate(certificatePem, certWhat);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        PrivateKey key = Pem.privateKey(privateKeyPem, keyWhat);
        if (!matches(key, cert))
            throw new IllegalArgumentException(certWhat + " does not belong to the private key " + keyWhat
                    + " (its public key differs): use the certificate the CA issued for this key's CSR");
        String cn = FederationTrust.commonName(cert);
        if (cn == null || !FederationCa.isSiteId(cn))
            throw new IllegalArgumentException(certWhat + " is not a site certificate (its CN must be a site id, was " + cn + ")");
        return new SiteIdentity(cn, key, cert, certificatePem, privateKeyPem);
    }

    /** Loads a site's key ({@code <siteId>.key}) and certificate ({@code <siteId>.crt}); errors name the file. */
    public static SiteIdentity load(Path keyFile, Path certificateFile) {
        String keyPem = Pem.read(keyFile, "site private key");
        String certPem = Pem.read(certificateFile, "site certificate");
        return of(certPem, keyPem, "site certificate " + certificateFile, "site private key " + keyFile);
    }

    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            String alg = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SiteIdentity[" + siteId + ", serial " + certificate.getSerialNumber().toString(16) + "]";
    }
}
