package org.fedehr.protocol.pki;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/**
 * The coordinator's TLS trust manager: a client's chain is accepted only through {@link FederationTrust#validateSite}
 * (the first certificate; the site id is taken from its CN, claims are checked per request). Each refusal is
 * reported once to the listener ("refused TLS client certificate CN=…, serial …: why"). Server chains are never
 * accepted: this trust manager is for the coordinator's server side only.
 */
public final class FederationTrustManager extends X509ExtendedTrustManager {
    private final FederationTrust trust;
    private final Consumer<String> refusals;

    FederationTrustManager(FederationTrust trust, Consumer<String> refusals) {
        this.trust = trust;
        this.refusals = refusals == null ? m -> { } : refusals;
    }

    private void checkClient(X509Certificate[] chain) throws CertificateException {
        try {
            trust.validateSite(chain == null || chain.length == 0 ? null : chain[0], null);
        } catch (CertificateException e) {
            refusals.accept("refused TLS client: " + e.getMessage());
            throw new RefusedCertificateException(e.getMessage());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClient(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClient(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClient(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the federation trust manager validates site (client) certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[]{trust.caCertificate()};
    }

    /** A refusal already reported to the listener (so transport-level handlers do not report it twice). */
    public static final class RefusedCertificateException extends CertificateException {
        RefusedCertificateException(String message) {
            super(message);
        }
    }
}
