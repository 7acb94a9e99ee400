package org.fedehr.simulations;

import org.fedehr.protocol.tls.SelfSignedCertificate;
import org.fedehr.site.SecAggIdentity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Per-site signing certificates of a simulated federation (temporary: replaced by the federation PKI). */
final class SiteCredentials {
    private final Map<String, SelfSignedCertificate> certs = new TreeMap<>();

    static SiteCredentials issue(Collection<String> sites) {
        SiteCredentials c = new SiteCredentials();
        for (String s : sites) c.certs.put(s, SelfSignedCertificate.generate(s, Duration.ofDays(1)));
        return c;
    }

    SecAggIdentity identity(String site) {
        SelfSignedCertificate c = certs.get(site);
        return new SecAggIdentity(privateKey(c.privateKeyPem()), c.certificatePem(), this::verify);
    }

    /** The public key of a site's certificate, when it is exactly the one this federation issued to that site. */
    private PublicKey verify(String site, String pem) throws CertificateException {
        SelfSignedCertificate c = certs.get(site);
        if (c == null || !c.certificatePem().equals(pem)) throw new CertificateException("certificate of site " + site + " is not the one issued to it");
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        return x.getPublicKey();
    }

    private static PrivateKey privateKey(String pem) {
        try {
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
