package org.fedehr.protocol.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A self-signed server certificate (EC P-256, SHA256withECDSA) made with Bouncy Castle. The coordinator and the
 * sites no longer use it: they authenticate each other with certificates of the federation CA
 * ({@link org.fedehr.protocol.pki.FederationCa}, mutual TLS); it remains for tools and tests that need a stand-alone
 * certificate. Both halves are PEM: the certificate, which sites
 * pin as their trust anchor, and the PKCS#8 private key, which is written with owner-only permissions.
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem) {

    /** A certificate valid for {@code localhost}, {@code 127.0.0.1} and {@code commonName}. */
    public static SelfSignedCertificate generate(String commonName, Duration validity) {
        return generate(commonName, validity, List.of());
    }

    /**
     * A certificate valid for {@code localhost}, {@code 127.0.0.1}, {@code commonName} and every extra name: each
     * is an IPv4/IPv6 literal (an IP-address SAN) or a DNS name (a DNS SAN), as sites on other machines reach the
     * coordinator by its host name or address and check it against the certificate.
     */
    public static SelfSignedCertificate generate(String commonName, Duration validity, List<String> subjectAltNames) {
        if (commonName == null || commonName.isBlank()) throw new IllegalArgumentException("commonName must not be blank");
        if (validity == null || validity.isNegative() || validity.isZero())
            throw new IllegalArgumentException("validity must be positive, was " + validity);
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", commonName));
        for (String n : subjectAltNames) {
            if (n == null || n.isBlank() || n.chars().anyMatch(Character::isWhitespace))
                throw new IllegalArgumentException("subject alternative name must be a host name or IP address, was '" + n + "'");
            names.add(n.trim());
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName);
            BigInteger serial = new BigInteger(128, new SecureRandom());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) sans.add(new GeneralName(isIpLiteral(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
            X509CertificateHolder holder = b.build(signer);
            return new SelfSignedCertificate(pem(holder), pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not create a self-signed certificate: " + e.getMessage(), e);
        }
    }

    static boolean isIpLiteral(String n) {
        return n.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (n.contains(":") && n.matches("[0-9A-Fa-f:.]+"));
    }

        private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** Writes the certificate (world-readable) and the key (owner-only, rw-------). */
    public void write(Path certFile, Path keyFile) {
        try {
            if (certFile.getParent() != null) Files.createDirectories(certFile.getParent());
            Files.writeString(certFile, certificatePem);
            if (keyFile != null) {
                if (keyFile.getParent() != null) Files.createDirectories(keyFile.getParent());
                Files.deleteIfExists(keyFile);
                try {
                    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(keyFile);
                }
                Files.writeString(keyFile, privateKeyPem);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write certificate to " + certFile, e);
        }
    }
}
