package org.fedehr.cli;

import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.Pem;
import org.fedehr.protocol.pki.SiteIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `fedehr ca init|sign|revoke` and `fedehr site keygen`, in process. */
class PkiCommandsTest extends CapturedConsole {
    @TempDir
    Path tmp;

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void initKeygenSignRevoke() throws Exception {
        Path ca = tmp.resolve("pki"), site = tmp.resolve("site");
        assertThat(Main.execute("ca", "init", "--dir", ca.toString(), "--name", "heart-disease", "--san", "coord.example")).isZero();
        for (String f : new String[]{"ca.crt", "ca.key", "coordinator.crt", "coordinator.key", "revoked.crl"}) assertThat(ca.resolve(f)).exists();
        assertThat(perms(ca.resolve("ca.key"))).isEqualTo("rw-------");
        assertThat(perms(ca.resolve("coordinator.key"))).isEqualTo("rw-------");
        assertThat(Pem.certificate(Files.readString(ca.resolve("coordinator.crt")), "c").getSubjectAlternativeNames().toString()).contains("coord.example");
        assertThat(out.toString()).contains("created the federation CA CN=heart-disease federation CA").doesNotContain("PRIVATE KEY");

        assertThat(Main.execute("ca", "init", "--dir", ca.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("already holds a federation CA").contains("refusing to overwrite");

        assertThat(Main.execute("site", "keygen", "--site", "cleveland", "--out", site.toString())).isZero();
        assertThat(perms(site.resolve("cleveland.key"))).isEqualTo("rw-------");
        assertThat(Files.readString(site.resolve("cleveland.csr"))).doesNotContain("PRIVATE KEY");
        assertThat(out.toString()).contains("send ONLY cleveland.csr").doesNotContain("BEGIN PRIVATE KEY");

        assertThat(Main.execute("ca", "sign", "--dir", ca.toString(), "--csr", site.resolve("cleveland.csr").toString(), "--site", "va")).isEqualTo(2);
        assertThat(err.toString()).contains("cleveland.csr: the CSR is for site cleveland, not for site va: refusing to sign");
        assertThat(site.resolve("va.crt")).doesNotExist();

        assertThat(Main.execute("ca", "sign", "--dir", ca.toString(), "--csr", site.resolve("cleveland.csr").toString(), "--site", "cleveland")).isZero();
        SiteIdentity id = SiteIdentity.load(site.resolve("cleveland.key"), site.resolve("cleveland.crt"));
        FederationTrust trust = FederationTrust.load(ca.resolve("ca.crt"), ca.resolve("revoked.crl"));
        assertThat(trust.validateSite(id.certificate(), "cleveland")).isEqualTo("cleveland");
        long days = java.time.Duration.between(java.time.Instant.now(), id.certificate().getNotAfter().toInstant()).toDays();
        assertThat(days).isBetween(89L, 90L);

        assertThat(Main.execute("ca", "revoke", "--dir", ca.toString(), "--cert", site.resolve("cleveland.crt").toString(),
                "--reason", "key-compromise")).isZero();
        assertThatThrownBy(() -> trust.validateSite(id.certificate(), "cleveland")).hasMessageContaining("revoked on")
                .hasMessageContaining("keyCompromise");
        assertThat(Main.execute("site", "--check")).isEqualTo(2);
        assertThat(err.toString()).contains("--config FILE is required");
    }
}
