package org.fedehr.protocol.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The federation's root certificate authority (EC P-256, SHA256withECDSA). It issues the coordinator's TLS server
 * certificate and, from their CSRs, the sites' client certificates ({@code CN=<siteId>}, clientAuth), and keeps an
 * X.509 v2 revocation list. A CA saved to a folder keeps there {@code ca.crt}, {@code ca.key} (owner-only) and
 * {@code revoked.crl}; every revocation rewrites the CRL file atomically, so a running coordinator's
 * {@link FederationTrust} picks it up. Serial numbers are random 128-bit values, so no serial state is kept.
 */
public final class FederationCa {
    public static final String SIGNATURE = "SHA256withECDSA";
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String CRL = "revoked.crl";
    public static final String COORDINATOR_CERT = "coordinator.crt";
    public static final String COORDINATOR_KEY = "coordinator.key";
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(5 * 365);
    public static final Duration DEFAULT_COORDINATOR_VALIDITY = Duration.ofDays(730);
    public static final Duration DEFAULT_SITE_VALIDITY = Duration.ofDays(90);
    /** How long a CRL is declared current (its nextUpdate); the file is re-read whenever it changes anyway. */
    static final Duration CRL_VALIDITY = Duration.ofDays(365);
    private static final Pattern SITE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration BACKDATE = Duration.ofMinutes(5);   // clock skew between machines

    /** RFC 5280 CRL reasons by their names (case and '-'/'_' ignored). */
    static final Map<String, Integer> REASONS = new LinkedHashMap<>();

    static {
        REASONS.put("unspecified", CRLReason.unspecified);
        REASONS.put("keyCompromise", CRLReason.keyCompromise);
        REASONS.put("cACompromise", CRLReason.cACompromise);
        REASONS.put("affiliationChanged", CRLReason.affiliationChanged);
        REASONS.put("superseded", CRLReason.superseded);
        REASONS.put("cessationOfOperation", CRLReason.cessationOfOperation);
        REASONS.put("certificateHold", CRLReason.certificateHold);
        REASONS.put("privilegeWithdrawn", CRLReason.privilegeWithdrawn);
    }

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();
    private X509CRL crl;
    private Path dir;

    private FederationCa(X509Certificate certificate, PrivateKey key, X509CRL crl, Path dir) {
        this.certificate = certificate;
        this.key = key;
        this.crl = crl;
        this.dir = dir;
    }

    // ------------------------------------------------------------------ creation, loading, saving

    /** A new root CA named {@code CN=<federationName> federation CA}, in memory (see {@link #saveTo}). */
    public static FederationCa create(String federationName, Duration validity) {
        if (federationName == null || federationName.isBlank() || federationName.matches(".*[,=+<>#;\"\\\\].*"))
            throw new IllegalArgumentException("federation name must be non-blank without , = + < > # ; \" \\, was '" + federationName + "'");
        requirePositive(validity, "CA validity");
        try {
            KeyPair kp = SiteKeyRequest.newKeyPair();
            X500Name subject = new X500Name("CN=" + federationName.trim() + " federation CA");
            Instant now = Instant.now();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = convert(b, kp.getPrivate());
            FederationCa ca = new FederationCa(cert, kp.getPrivate(), null, null);
            ca.crl = ca.buildCrl(null, null);
            return ca;
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the federation CA: " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} already holds a CA (its certificate or its key). */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(CA_CERT)) || Files.exists(dir.resolve(CA_KEY));
    }

    /** Loads the CA from {@code dir} ({@code ca.crt}, {@code ca.key}, {@code revoked.crl} when present). */
    public static FederationCa load(Path dir) {
        Path certFile = dir.resolve(CA_CERT), keyFile = dir.resolve(CA_KEY), crlFile = dir.resolve(CRL);
        if (!Files.isRegularFile(certFile) || !Files.isRegularFile(keyFile))
            throw new IllegalArgumentException("no federation CA in " + dir + " (expected " + CA_CERT + " and " + CA_KEY
                    + "): create one with `fedehr ca init --dir " + dir + "`");
        X509Certificate cert;
        try {
            cert = Pem.certificate(Pem.read(certFile, "CA certificate"), "CA certificate " + certFile);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        PrivateKey key = Pem.privateKey(Pem.read(keyFile, "CA private key"), "CA private key " + keyFile);
        if (!SiteIdentity.matches(key, cert))
            throw new IllegalArgumentException(certFile + " does not belong to the CA private key " + keyFile);
        X509CRL crl = null;
        if (Files.isRegularFile(crlFile)) {
            try {
                crl = Pem.crl(Files.readAllBytes(crlFile), "revocation list " + crlFile);
                crl.verify(cert.getPublicKey());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("revocation list " + crlFile + " cannot be used: not signed by " + certFile
                        + " or unreadable (" + e.getClass().getSimpleName() + ")");
            }
        }
        FederationCa ca = new FederationCa(cert, key, crl, dir);
        if (crl == null) {
            ca.crl = ca.buildCrl(null, null);
            ca.writeCrl();
        }
        return ca;
    }

    /**
     * Saves the CA into {@code dir}: {@code ca.crt}, {@code ca.key} (owner-only, rw-------) and {@code revoked.crl};
     * later revocations are written there too. Refuses when {@code dir} already holds a CA.
     */
    public FederationCa saveTo(Path dir) {
        if (exists(dir))
            throw new IllegalArgumentException(dir + " already holds a federation CA (" + CA_CERT + "/" + CA_KEY
                    + "); refusing to overwrite it (certificates it issued would stop working)");
        Pem.writeOwnerOnly(dir.resolve(CA_KEY), Pem.encode(pkcs8(key)));
        Pem.writePublic(dir.resolve(CA_CERT), certificatePem());
        this.dir = dir;
        writeCrl();
        return this;
    }

    /**
     * What {@code fedehr ca init} does: a new CA saved into {@code dir} ({@code ca.crt}, {@code ca.key} owner-only,
     * an empty {@code revoked.crl}) and the coordinator's certificate and key ({@code coordinator.crt},
     * {@code coordinator.key} owner-only) for localhost, 127.0.0.1 and {@code subjectAltNames}. Refuses when
     * {@code dir} already holds a CA or a coordinator key.
     */
    public static FederationCa init(Path dir, String federationName, List<String> subjectAltNames, Duration caValidity,
                                    Duration coordinatorValidity) {
        if (exists(dir) || Files.exists(dir.resolve(COORDINATOR_KEY)))
            throw new IllegalArgumentException(dir + " already holds a federation CA or coordinator key; refusing to overwrite"
                    + " it (certificates it issued would stop working). Use another --dir, or remove the folder on purpose");
        FederationCa ca = create(federationName, caValidity);
        CertifiedKey coordinator = ca.issueCoordinator(subjectAltNames, coordinatorValidity);   // names checked before writing
        ca.saveTo(dir);
        coordinator.write(dir.resolve(COORDINATOR_CERT), dir.resolve(COORDINATOR_KEY));
        return ca;
    }

    // ------------------------------------------------------------------ issuing

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /**
     * The coordinator's TLS server certificate and a new key: serverAuth, for {@code localhost}, {@code 127.0.0.1}
     * and every given name (an IPv4/IPv6 literal becomes an IP-address SAN, anything else a DNS SAN).
     */
    public CertifiedKey issueCoordinator(List<String> subjectAltNames, Duration validity) {
        requirePositive(validity, "coordinator certificate validity");
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        for (String n : subjectAltNames == null ? List.<String>of() : subjectAltNames) {
            if (n == null || n.isBlank() || n.chars().anyMatch(Character::isWhitespace))
                throw new IllegalArgumentException("subject alternative name must be a host name or IP address, was '" + n + "'");
            names.add(n.trim());
        }
        try {
            KeyPair kp = SiteKeyRequest.newKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = leaf(new X500Name("CN=fedehr-coordinator"), kp.getPublic(), now.minus(BACKDATE),
                    now.plus(validity));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) sans.add(new GeneralName(isIpLiteral(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            X509Certificate cert = convert(b, key);
            return new CertifiedKey(cert, kp.getPrivate(), Pem.encode(cert), Pem.encode(pkcs8(kp.getPrivate())));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not issue the coordinator certificate: " + e.getMessage(), e);
        }
    }

    /** Signs a site's CSR for {@link #DEFAULT_SITE_VALIDITY}-style {@code validity} from now. */
    public X509Certificate sign(String csrPem, String expectedSiteId, Duration validity) {
        requirePositive(validity, "site certificate validity");
        Instant now = Instant.now();
        return sign(csrPem, expectedSiteId, now.minus(BACKDATE), now.plus(validity));
    }

    /**
     * Signs a site's CSR: checks its self-signature (the requester holds the key), that its subject is exactly
     * {@code CN=<expectedSiteId>}, that the id is {@code [A-Za-z0-9_.-]{1,64}} and that the key is EC P-256; issues
     * {@code CN=<siteId>}, keyUsage digitalSignature (critical), extendedKeyUsage clientAuth, a random 128-bit serial.
     * The validity ends no later than the CA's own.
     */
    public X509Certificate sign(String csrPem, String expectedSiteId, Instant notBefore, Instant notAfter) {
        requireSiteId(expectedSiteId);
        if (!notAfter.isAfter(notBefore)) throw new IllegalArgumentException("notAfter must be after notBefore");
        PKCS10CertificationRequest csr = parseCsr(csrPem);
        try {
            JcaPKCS10CertificationRequest jcsr = new JcaPKCS10CertificationRequest(csr);
            PublicKey pub = jcsr.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pub)))
                throw new IllegalArgumentException("the CSR's signature does not verify: it was not signed by the key it carries");
            if (!(pub instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256)
                throw new IllegalArgumentException("the CSR's key must be EC P-256 (use `fedehr site keygen`), was " + pub.getAlgorithm());
            X500Name expected = new X500Name("CN=" + expectedSiteId);
            String cn = FederationTrust.commonName(csr.getSubject());
            if (!csr.getSubject().equals(expected))
                throw new IllegalArgumentException("the CSR is for " + (cn == null ? "subject " + csr.getSubject() : "site " + cn)
                        + ", not for site " + expectedSiteId + ": refusing to sign");
            Date caEnd = certificate.getNotAfter();
            Instant end = notAfter.isAfter(caEnd.toInstant()) ? caEnd.toInstant() : notAfter;
            X509v3CertificateBuilder b = leaf(expected, pub, notBefore, end);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return convert(b, key);
        } catch (GeneralSecurityException | IOException | OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("cannot sign the CSR for site " + expectedSiteId + ": " + e.getMessage(), e);
        }
    }

    /** A new key, CSR and certificate for a site in one step (simulations and tests, where the CA is local). */
    public SiteIdentity issueSite(String siteId, Duration validity) {
        SiteKeyRequest req = SiteKeyRequest.generate(siteId);
        X509Certificate cert = sign(req.csrPem(), siteId, validity);
        return new SiteIdentity(siteId, req.privateKey(), cert, Pem.encode(cert), req.privateKeyPem());
    }

    // ------------------------------------------------------------------ revocation

    /** The current revocation list, signed by this CA. */
    public synchronized X509CRL revocationList() {
        return crl;
    }

    public synchronized String revocationListPem() {
        return Pem.encode(crl);
    }

    /** Revokes a certificate this CA issued; see {@link #revoke(BigInteger, String)}. */
    public X509CRL revoke(X509Certificate cert, String reason) {
        if (!cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal()))
            throw new IllegalArgumentException("certificate " + FederationTrust.describe(cert) + " was not issued by this CA ("
                    + certificate.getSubjectX500Principal().getName() + ")");
        return revoke(cert.getSerialNumber(), reason);
    }

    /**
     * Adds {@code serial} to the revocation list with an RFC 5280 reason ({@link #reasonNames()}, default
     * unspecified) and, for a saved CA, rewrites {@code revoked.crl} atomically. Refuses a serial already revoked.
     */
    public synchronized X509CRL revoke(BigInteger serial, String reason) {
        int code = reasonCode(reason);
        if (crl.getRevokedCertificate(serial) != null)
            throw new IllegalArgumentException("serial " + serial.toString(16) + " is already revoked (since "
                    + crl.getRevokedCertificate(serial).getRevocationDate().toInstant() + ")");
        crl = buildCrl(serial, code);
        writeCrl();
        return crl;
    }

    /** The reason names {@link #revoke} accepts. */
    public static Set<String> reasonNames() {
        return REASONS.keySet();
    }

    static int reasonCode(String reason) {
        if (reason == null || reason.isBlank()) return CRLReason.unspecified;
        String norm = reason.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (var e : REASONS.entrySet()) if (e.getKey().toLowerCase(Locale.ROOT).equals(norm)) return e.getValue();
        throw new IllegalArgumentException("unknown revocation reason '" + reason + "' (expected one of " + REASONS.keySet() + ")");
    }

    static String reasonName(int code) {
        for (var e : REASONS.entrySet()) if (e.getValue() == code) return e.getKey();
        return "reason " + code;
    }

    private X509CRL buildCrl(BigInteger addSerial, Integer reason) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now));
            b.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
            BigInteger number = BigInteger.ONE;
            if (crl != null) {
                X509CRLHolder old = new JcaX509CRLHolder(crl);
                b.addCRL(old);
                byte[] n = crl.getExtensionValue(Extension.cRLNumber.getId());
                if (n != null) number = CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(n).getOctets())
                        .getCRLNumber().add(BigInteger.ONE);
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            if (addSerial != null) b.addCRLEntry(addSerial, Date.from(now), reason);
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not build the revocation list: " + e.getMessage(), e);
        }
    }

    private void writeCrl() {
        if (dir != null) Pem.writePublic(dir.resolve(CRL), Pem.encode(crl));
    }

    // ------------------------------------------------------------------ helpers

    /** Whether {@code id} is a valid site id: {@code [A-Za-z0-9_.-]{1,64}}. */
    public static boolean isSiteId(String id) {
        return id != null && SITE_ID.matcher(id).matches();
    }

    public static String requireSiteId(String id) {
        if (!isSiteId(id)) throw new IllegalArgumentException("site id must match [A-Za-z0-9_.-]{1,64}, was '" + id + "'");
        return id;
    }

    private X509v3CertificateBuilder leaf(X500Name subject, PublicKey pub, Instant from, Instant to)
            throws GeneralSecurityException, IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random), Date.from(from), Date.from(to),
                subject, pub);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
        return b;
    }

    private static X509Certificate convert(X509v3CertificateBuilder b, PrivateKey signingKey)
            throws OperatorCreationException, CertificateException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signingKey)));
    }

    private static BigInteger serial(SecureRandom r) {
        BigInteger s;
        do {
            s = new BigInteger(128, r);
        } while (s.signum() == 0);
        return s;
    }

    private static PKCS10CertificationRequest parseCsr(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object o = p.readObject();
            if (o instanceof PKCS10CertificationRequest r) return r;
        } catch (IOException | RuntimeException e) {
            // below
        }
        throw new IllegalArgumentException("not a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)");
    }

    private static Object pkcs8(PrivateKey k) {
        try {
            return new JcaPKCS8Generator(k, null).generate();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isIpLiteral(String n) {
        return n.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (n.contains(":") && n.matches("[0-9A-Fa-f:.]+"));
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, was " + d);
    }

    @Override
    public String toString() {
        return "FederationCa[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
