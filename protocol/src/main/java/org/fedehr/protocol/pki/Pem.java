package org.fedehr.protocol.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

/**
 * PEM encoding and decoding of certificates, CRLs and PKCS#8 private keys, and file writing with owner-only
 * permissions. Error messages name what was being read ({@code what}, e.g. a file name), never the content.
 */
public final class Pem {
    private Pem() {
    }

    /** PEM text of a certificate, CRL, CSR, or a PKCS#8 generator's output. */
    public static String encode(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate certificate(String pem, String what) throws CertificateException {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----"))
            throw new CertificateException(what + " is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            throw new CertificateException(what + " is not a readable PEM certificate", e);
        }
    }

    /** A PEM (or DER) X.509 CRL. */
    public static X509CRL crl(byte[] bytes, String what) throws CertificateException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        } catch (java.security.cert.CRLException | CertificateException | RuntimeException e) {
            throw new CertificateException(what + " is not a readable X.509 revocation list (-----BEGIN X509 CRL-----)", e);
        }
    }

    /** A PKCS#8 (or traditional EC) PEM private key. */
    public static PrivateKey privateKey(String pem, String what) {
        try (PEMParser p = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) return c.getPrivateKey(info);
            if (o instanceof PEMKeyPair kp) return c.getKeyPair(kp).getPrivate();
        } catch (IOException | RuntimeException e) {
            // fall through: the message below never carries the content
        }
        throw new IllegalArgumentException(what + " is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** Reads a text file; a missing or unreadable file is an error naming it and {@code role}. */
    public static String read(Path file, String role) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(role + " not found: " + file);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + role + " " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Writes a world-readable file, atomically (readers never see it half-written). */
    public static void writePublic(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /**
     * Writes a secret (a private key) to a new file readable and writable by its owner only (rw-------), created
     * with those permissions so it is never readable by others, not even briefly. Refuses to overwrite.
     */
    public static void writeOwnerOnly(Path file, String text) {
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("refusing to overwrite the existing key " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
