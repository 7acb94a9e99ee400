package org.fedehr.simulations;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationPkiTest {
    @Test
    void everySiteHasItsOwnCertificateThatTheRunsTrustAcceptsForItOnly() throws Exception {
        SimulationPki pki = SimulationPki.create("heart disease", List.of("cleveland", "va"));
        assertThat(pki.siteIds()).containsExactly("cleveland", "va");
        var c = pki.identity("cleveland");
        assertThat(pki.trust().validateSite(c.certificate(), "cleveland")).isEqualTo("cleveland");
        assertThat(pki.trust().verifiedSiteKey("cleveland", c.certificatePem())).isEqualTo(c.certificate().getPublicKey());
        assertThatThrownBy(() -> pki.trust().verifiedSiteKey("va", c.certificatePem()))
                .hasMessageContaining("certificate is for site cleveland but it claims to be va");
        assertThatThrownBy(() -> pki.identity("bern")).hasMessageContaining("no certificate for site 'bern'");
        SimulationPki other = SimulationPki.create("heart disease", List.of("cleveland"));
        assertThatThrownBy(() -> pki.trust().validateSite(other.identity("cleveland").certificate(), "cleveland"))
                .hasMessageContaining("not issued by this federation's CA");
        pki.ca().revoke(c.certificate(), "superseded");
        assertThatThrownBy(() -> pki.trust().validateSite(c.certificate(), "cleveland")).hasMessageContaining("revoked on");
        assertThat(pki.coordinator().certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }
}
