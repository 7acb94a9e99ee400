package org.fedehr.simulations;

import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.Pem;
import org.fedehr.protocol.pki.SiteKeyRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A federation PKI on disk as the CLI makes it: `ca init` into {@code dir}, then `site keygen` + `ca sign` per site. */
final class TestPki {
    private TestPki() {
    }

    static FederationCa init(Path dir, String... sites) {
        FederationCa ca = FederationCa.init(dir, "test", List.of(), Duration.ofDays(10), Duration.ofDays(5));
        for (String s : sites) {
            SiteKeyRequest req = SiteKeyRequest.generate(s);
            req.write(dir);
            Pem.writePublic(dir.resolve(s + ".crt"), Pem.encode(ca.sign(req.csrPem(), s, Duration.ofDays(1))));
        }
        return ca;
    }
}
