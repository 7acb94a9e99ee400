package org.fedehr.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A site whose certificate is revoked (or expires) during a run leaves it: no stalled round, not selected again. */
class CertificateRefusedTest {
    @Test
    @DisplayName("revoked mid-round: the round stops waiting for the site, records why, and later rounds go on without it")
    void revokedSiteLeavesTheFederation() throws Exception {
        long deadlineMs = 20_000;
        try (Federation fed = new Federation(Federation.policy(2, 3, 2, deadlineMs, 15_000), 3)) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 10).delta(3f);
            // C's next request after receiving its task is refused: its certificate was revoked meanwhile
            fed.site("C", 10).delta(100f).onTrain(1, (s, t) -> {
                fed.run.certificateRefused("C", "certificate CN=C (serial 1f) was revoked on 2026-12-04T07:37:55Z (keyCompromise)");
                return false;
            });
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.status()).startsWith("completed with 1 failure (C: certificate refused (certificate CN=C");
            // neither the 15 s grace nor the 20 s deadline was waited for
            assertThat(r1.seconds()).isLessThan(10.0);
            assertThat(fed.events).contains("site removed: C (certificate refused: certificate CN=C (serial 1f) was revoked"
                    + " on 2026-12-04T07:37:55Z (keyCompromise))");
            assertThat(fed.round(2).selected()).containsExactly("A", "B");
            assertThat(fed.round(2).status()).isEqualTo("completed");
            assertThat(result.status()).isEqualTo("completed 2 rounds");
        }
    }
}
