package org.fedehr.coordinator;

import org.fedehr.protocol.pki.FederationTrust;

import java.time.Duration;

/**
 * Network settings of the coordinator's HTTPS endpoint.
 *
 * @param host            interface to bind (loopback by default)
 * @param port            port (0 = any free port)
 * @param certificatePem  server certificate (PEM)
 * @param privateKeyPem   server private key (PKCS#8 PEM)
 * @param trust           the federation's CA and revocation list: every client must present a site certificate it
 *                        accepts (mutual TLS), and the site id of a request is the certificate's CN
 * @param maxReplyBytes   largest reply body accepted; larger ones get 413 (before the body is read when announced)
 * @param pollTimeoutMs   how long a long-poll for the next task is held before answering 204
 * @param idleTimeout     a connection with no traffic for this long is closed by the server; must exceed the poll
 *                        timeout (a held long-poll is idle traffic-wise). A site training longer than this simply
 *                        opens a new connection for its reply.
 */
public record ServerSettings(String host, int port, String certificatePem, String privateKeyPem, FederationTrust trust,
                             long maxReplyBytes, long pollTimeoutMs, Duration idleTimeout) {
    public ServerSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        if (certificatePem == null || privateKeyPem == null) throw new IllegalArgumentException("TLS certificate and key are required");
        if (trust == null) throw new IllegalArgumentException("the federation trust (CA certificate, revocation list) is required for mutual TLS");
        if (maxReplyBytes < 1024) throw new IllegalArgumentException("maxReplyBytes must be >= 1024, was " + maxReplyBytes);
        if (pollTimeoutMs < 100) throw new IllegalArgumentException("pollTimeoutMs must be >= 100, was " + pollTimeoutMs);
        if (idleTimeout == null || idleTimeout.toMillis() <= pollTimeoutMs)
            throw new IllegalArgumentException("idleTimeout must exceed pollTimeoutMs=" + pollTimeoutMs
                    + " ms (else held long-polls are cut), was " + idleTimeout);
    }

    /** Idle timeout defaulting to three poll timeouts, at least 60 s. */
    public ServerSettings(String host, int port, String certificatePem, String privateKeyPem, FederationTrust trust,
                          long maxReplyBytes, long pollTimeoutMs) {
        this(host, port, certificatePem, privateKeyPem, trust, maxReplyBytes, pollTimeoutMs,
                Duration.ofMillis(Math.max(60_000, pollTimeoutMs * 3)));
    }
}
