package org.fedehr.coordinator.http;

import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.SiteIdentity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test federation CA: a coordinator certificate for localhost and one site certificate per site id. */
final class TestPki {
    /** Shared by most tests. */
    static final TestPki DEFAULT = new TestPki(FederationCa.create("test", Duration.ofDays(10)), null);
    static final CertifiedKey SERVER = DEFAULT.server;
    static final FederationTrust TRUST = DEFAULT.trust;
    static final FederationCa CA = DEFAULT.ca;

    final FederationCa ca;
    final FederationTrust trust;
    final CertifiedKey server;
    private final Map<String, SiteIdentity> sites = new ConcurrentHashMap<>();

    /** {@code trust} null: the CA's live in-memory revocation list. */
    TestPki(FederationCa ca, FederationTrust trust) {
        this.ca = ca;
        this.trust = trust == null ? FederationTrust.of(ca) : trust;
        this.server = ca.issueCoordinator(List.of(), Duration.ofDays(1));
    }

    SiteIdentity identity(String id) {
        return sites.computeIfAbsent(id, s -> ca.issueSite(s, Duration.ofDays(1)));
    }

    static SiteIdentity site(String id) {
        return DEFAULT.identity(id);
    }
}
