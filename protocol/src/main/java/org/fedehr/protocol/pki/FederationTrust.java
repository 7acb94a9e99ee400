package org.fedehr.protocol.pki;

import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Decides whether a site certificate belongs to this federation: issued (signed) by the federation CA, within its
 * validity, not revoked, a client certificate (extendedKeyUsage clientAuth) for a valid site id, and — when the
 * caller says who the peer claims to be — for that site. The revocation list is a file that is re-read whenever it
 * changes (so {@code fedehr ca revoke} takes effect on a running coordinator), or a live in-memory CA. A revocation
 * list that is missing or not signed by the CA makes every validation fail (fail closed). Each refusal is a
 * {@link CertificateException} whose message names the certificate (CN, serial) and the reason.
 */
public final class FederationTrust {
    private final X509Certificate ca;
    private final Path crlFile;
    private final Supplier<X509CRL> liveCrl;
    private final Clock clock;
    private X509CRL cachedCrl;
    private FileTime cachedTime;
    private long cachedSize = -1;
    /**
     * certificate PEM -> the parsed certificate whose CA signature has verified (bounded, LRU). Only the parsing and the
     * chain signature are cached — both are pure functions of the PEM bytes and the CA key; validity period, revocation
     * (CRL), key usage and the claimed site id are re-checked on every call.
     */
    private final java.util.Map<String, X509Certificate> signatureVerified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override protected boolean removeEldestEntry(java.util.Map.Entry<String, X509Certificate> eldest) {
                    return size() > VERIFIED_CACHE_SIZE;
                }
            });
    static final int VERIFIED_CACHE_SIZE = 1024;

    private FederationTrust(X509Certificate ca, Path crlFile, Supplier<X509CRL> liveCrl, Clock clock) {
        if (ca == null) throw new IllegalArgumentException("CA certificate is required");
        if (ca.getBasicConstraints() < 0) throw new IllegalArgumentException("the trusted certificate " + describe(ca) + " is not a CA certificate");
        this.ca = ca;
        this.crlFile = crlFile;
        this.liveCrl = liveCrl;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Trusts {@code ca}; {@code revocationList} (may be null: no revocation) is re-read whenever it changes. */
    public FederationTrust(X509Certificate ca, Path revocationList) {
        this(ca, revocationList, null, null);
    }

    /**
     * Reads the CA certificate and checks that the revocation list exists and is signed by it; errors name the file
     * and say to run {@code fedehr ca init}.
     */
    public static FederationTrust load(Path caCertificate, Path revocationList) {
        if (!Files.isRegularFile(caCertificate))
            throw new IllegalArgumentException("federation CA certificate not found: " + caCertificate
                    + " (create the federation's PKI with `fedehr ca init --dir DIR`)");
        X509Certificate ca;
        try {
            ca = Pem.certificate(Pem.read(caCertificate, "CA certificate"), "CA certificate " + caCertificate);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        FederationTrust t = new FederationTrust(ca, revocationList);
        if (revocationList != null) {
            if (!Files.isRegularFile(revocationList))
                throw new IllegalArgumentException("revocation list not found: " + revocationList
                        + " (`fedehr ca init` creates an empty one next to ca.crt; `fedehr ca revoke` updates it)");
            try {
                t.currentCrl();
            } catch (CertificateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return t;
    }

    /** Trusts {@code ca}'s certificate and follows its revocation list live (in-process federations). */
    public static FederationTrust of(FederationCa ca) {
        return new FederationTrust(ca.certificate(), null, ca::revocationList, null);
    }

    /** The same trust, judged at the time of {@code clock} (tests). */
    public FederationTrust withClock(Clock clock) {
        return new FederationTrust(ca, crlFile, liveCrl, clock);
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public String caCertificatePem() {
        return Pem.encode(ca);
    }

    /**
     * Validates a site's client certificate and returns its site id (the CN).
     *
     * @param claimedSiteId the site id the peer claims (null: no claim to check)
     * @throws CertificateException saying which certificate (CN, serial) and why it is refused
     */
    public String validateSite(X509Certificate cert, String claimedSiteId) throws CertificateException {
        return validateSite(cert, claimedSiteId, false);
    }

    private String validateSite(X509Certificate cert, String claimedSiteId, boolean signatureVerifiedBefore) throws CertificateException {
        if (cert == null) throw new CertificateException("no client certificate: sites must present the certificate the federation CA issued them");
        String who = "certificate " + describe(cert);
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal()))
            throw new CertificateException(who + " is not issued by this federation's CA (issuer "
                    + cert.getIssuerX500Principal().getName() + ", expected " + ca.getSubjectX500Principal().getName() + ")");
        if (!signatureVerifiedBefore) try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateException(who + " is not issued by this federation's CA (its signature does not verify with "
                    + ca.getSubjectX500Principal().getName() + ")");
        }
        Date now = Date.from(clock.instant());
        try {
            cert.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new CertificateException(who + " expired on " + cert.getNotAfter().toInstant() + "; ask the federation CA for a new one");
        } catch (CertificateNotYetValidException e) {
            throw new CertificateException(who + " is not yet valid (valid from " + cert.getNotBefore().toInstant() + ")");
        }
        if (cert.getBasicConstraints() >= 0) throw new CertificateException(who + " is a CA certificate, not a site certificate");
        X509CRL crl = currentCrl();
        X509CRLEntry entry = crl == null ? null : crl.getRevokedCertificate(cert.getSerialNumber());
        if (entry != null)
            throw new CertificateException(who + " was revoked on " + entry.getRevocationDate().toInstant() + " (" + reason(entry) + ")");
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            eku = null;
        }
        if (eku == null || !eku.contains("1.3.6.1.5.5.7.3.2"))
            throw new CertificateException(who + " is missing clientAuth (extendedKeyUsage): it is not a site certificate");
        String cn = commonName(cert);
        if (!FederationCa.isSiteId(cn)) throw new CertificateException(who + " does not name a valid site id in its CN");
        if (claimedSiteId != null && !claimedSiteId.equals(cn))
            throw new CertificateException("certificate is for site " + cn + " but it claims to be " + claimedSiteId
                    + " (serial " + cert.getSerialNumber().toString(16) + ")");
        return cn;
    }

    /**
     * Parses a site certificate (PEM), validates it for {@code siteId} as {@link #validateSite} does, and returns
     * its public key: how a party checks a key another site signed (e.g. an ephemeral key-agreement key). Sites call
     * this for every peer in every secure-aggregation round, so a certificate that passed once is remembered (up to
     * {@value #VERIFIED_CACHE_SIZE} certificates) and its CA signature is not verified again; everything else —
     * validity period, the current revocation list, extended key usage, the site id — is checked on every call.
     */
    public PublicKey verifiedSiteKey(String siteId, String certificatePem) throws GeneralSecurityException {
        if (siteId == null) throw new CertificateException("site id is required");
        X509Certificate known = certificatePem == null ? null : signatureVerified.get(certificatePem);
        if (known != null) { // parsed and CA-signature-checked before: re-check validity, revocation, usage, site id
            validateSite(known, siteId, true);
            return known.getPublicKey();
        }
        X509Certificate cert = Pem.certificate(certificatePem, "certificate of site " + siteId);
        validateSite(cert, siteId, false);
        signatureVerified.put(certificatePem, cert);
        return cert.getPublicKey();
    }

    /**
     * The trust manager for the coordinator's TLS server: accepts a client chain only if its first certificate
     * passes {@link #validateSite} (without a claimed id; the coordinator checks claims per request), and reports
     * every refusal as one line (which certificate and why) to {@code refusals}. It never validates servers.
     */
    public FederationTrustManager trustManager(Consumer<String> refusals) {
        return new FederationTrustManager(this, refusals);
    }

    /** {@code CN=cleveland, serial 3fa9…}: how messages name a certificate. */
    public static String describe(X509Certificate cert) {
        String cn = commonName(cert);
        return (cn == null ? cert.getSubjectX500Principal().getName() : "CN=" + cn) + " (serial " + cert.getSerialNumber().toString(16) + ")";
    }

    /** The certificate subject's common name, or null. */
    public static String commonName(X509Certificate cert) {
        return commonName(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()));
    }

    static String commonName(X500Name name) {
        RDN[] cn = name.getRDNs(BCStyle.CN);
        return cn.length == 0 ? null : IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    private static String reason(X509CRLEntry e) {
        byte[] v = e.getExtensionValue(Extension.reasonCode.getId());
        if (v == null) return "unspecified";
        try {
            return FederationCa.reasonName(ASN1Enumerated.getInstance(ASN1OctetString.getInstance(v).getOctets()).intValueExact());
        } catch (RuntimeException ex) {
            return "unspecified";
        }
    }

    /** The revocation list now: re-read from its file when the file changed, verified against the CA. */
    synchronized X509CRL currentCrl() throws CertificateException {
        if (liveCrl != null) return liveCrl.get();
        if (crlFile == null) return null;
        FileTime time;
        long size;
        try {
            time = Files.getLastModifiedTime(crlFile);
            size = Files.size(crlFile);
        } catch (IOException e) {
            cachedCrl = null;
            cachedSize = -1;
            throw new CertificateException("revocation list " + crlFile + " is missing or unreadable; refusing every site"
                    + " certificate until it is back (`fedehr ca revoke` and `fedehr ca init` write it)");
        }
        if (cachedCrl != null && time.equals(cachedTime) && size == cachedSize) return cachedCrl;
        X509CRL crl;
        try {
            crl = Pem.crl(Files.readAllBytes(crlFile), "revocation list " + crlFile);
        } catch (IOException e) {
            throw new CertificateException("revocation list " + crlFile + " is unreadable: " + e.getClass().getSimpleName());
        }
        try {
            crl.verify(ca.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateException("revocation list " + crlFile + " is not signed by the federation CA "
                    + ca.getSubjectX500Principal().getName() + "; refusing every site certificate");
        }
        cachedCrl = crl;
        cachedTime = time;
        cachedSize = size;
        return crl;
    }
}
