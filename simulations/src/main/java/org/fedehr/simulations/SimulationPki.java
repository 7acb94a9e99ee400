package org.fedehr.simulations;

import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.SiteIdentity;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The PKI of one in-process federation run, held in memory only: a federation CA made for the run, the
 * coordinator's TLS certificate (localhost, 127.0.0.1) and one site certificate per site, each issued from the
 * site's own CSR exactly as {@code fedehr ca sign} does. {@link #trust()} follows the CA's revocation list live.
 * A site node gets its {@link #identity} (e.g. to sign what it publishes); anyone checking another site's
 * certificate uses {@link #trust()}.
 */
public final class SimulationPki {
    /** Certificates of a simulation only need to outlive the run. */
    static final Duration VALIDITY = Duration.ofDays(2);

    private final FederationCa ca;
    private final FederationTrust trust;
    private final CertifiedKey coordinator;
    private final Map<String, SiteIdentity> sites;

    private SimulationPki(FederationCa ca, CertifiedKey coordinator, Map<String, SiteIdentity> sites) {
        this.ca = ca;
        this.trust = FederationTrust.of(ca);
        this.coordinator = coordinator;
        this.sites = sites;
    }

    /** A new CA named after the federation, a coordinator certificate and a certificate for every site id. */
    public static SimulationPki create(String federationName, Collection<String> siteIds) {
        FederationCa ca = FederationCa.create(federationName, VALIDITY);
        Map<String, SiteIdentity> sites = new LinkedHashMap<>();
        for (String id : siteIds) sites.put(id, ca.issueSite(id, VALIDITY));
        return new SimulationPki(ca, ca.issueCoordinator(java.util.List.of(), VALIDITY), sites);
    }

    public FederationCa ca() {
        return ca;
    }

    /** The validator of site certificates (CA signature, validity, revocation, clientAuth, site id). */
    public FederationTrust trust() {
        return trust;
    }

    /** The coordinator's TLS server certificate and key. */
    public CertifiedKey coordinator() {
        return coordinator;
    }

    /** The identity (key + certificate) of {@code siteId}; an unknown id is an error. */
    public SiteIdentity identity(String siteId) {
        SiteIdentity id = sites.get(siteId);
        if (id == null) throw new IllegalArgumentException("no certificate for site '" + siteId + "' in this run (sites " + sites.keySet() + ")");
        return id;
    }

    public Set<String> siteIds() {
        return sites.keySet();
    }

    @Override
    public String toString() {
        return "SimulationPki[" + ca.certificate().getSubjectX500Principal().getName() + ", sites " + sites.keySet() + "]";
    }
}
