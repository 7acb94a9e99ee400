package org.fedehr.protocol.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * A site's new key pair (EC P-256) and its PKCS#10 certificate signing request with subject {@code CN=<siteId>}.
 * The CSR holds only the public key and the site's signature; it is what the site sends to the federation CA.
 * The private key never leaves the site. {@link #toString()} never shows the key.
 */
public record SiteKeyRequest(String siteId, PrivateKey privateKey, String privateKeyPem, String csrPem) {

    /** Generates the key pair and the CSR for {@code siteId} ({@code [A-Za-z0-9_.-]{1,64}}). */
    public static SiteKeyRequest generate(String siteId) {
        FederationCa.requireSiteId(siteId);
        try {
            KeyPair kp = newKeyPair();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + siteId), kp.getPublic())
                    .build(new JcaContentSignerBuilder(FederationCa.SIGNATURE).build(kp.getPrivate()));
            return new SiteKeyRequest(siteId, kp.getPrivate(), Pem.encode(new JcaPKCS8Generator(kp.getPrivate(), null).generate()),
                    Pem.encode(csr));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("could not create a key and CSR for site " + siteId + ": " + e.getMessage(), e);
        }
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    /** The key file name in a site's folder: {@code <siteId>.key}. */
    public Path keyFile(Path dir) {
        return dir.resolve(siteId + ".key");
    }

    /** The CSR file name in a site's folder: {@code <siteId>.csr}. */
    public Path csrFile(Path dir) {
        return dir.resolve(siteId + ".csr");
    }

    /** Writes {@code <siteId>.key} (new file, owner-only rw-------; never overwritten) and {@code <siteId>.csr}. */
    public void write(Path dir) {
        Pem.writeOwnerOnly(keyFile(dir), privateKeyPem);
        Pem.writePublic(csrFile(dir), csrPem);
    }

    @Override
    public String toString() {
        return "SiteKeyRequest[" + siteId + "]";
    }
}
