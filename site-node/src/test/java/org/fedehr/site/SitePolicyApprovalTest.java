package org.fedehr.site;

import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.site.policy.ApprovalStore;
import org.fedehr.site.policy.PolicyGate;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedehr.site.PolicyFixtures.*;

/** Manual approval: an unknown spec is refused and recorded as pending; once approved locally it is accepted. */
class SitePolicyApprovalTest {
    @TempDir
    Path dir;

    @Test
    void unapprovedSpecThenApproveThenAccepted() throws Exception {
        Path f = write(dir, "policy.yaml", "manual_approval: true\nmin_cohort: 10\n");
        SitePolicy p = SitePolicy.load(f);
        assertThat(p.approvalsFile()).isEqualTo(dir.resolve("policy.approvals.json"));
        UUID run = UUID.randomUUID();

        RecordingLink link = new RecordingLink();
        UntouchableRows rows = new UntouchableRows(50, 50);
        new SiteNode("A", DICT, rows, link, null, p).handle(train(run, 1, SPEC, true));
        assertThat(rows.reads).isZero();
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.REFUSED);
        assertThat(link.sent.get(0).reply().message()).isEqualTo(Refusal.UNAPPROVED_MODEL);

        ApprovalStore store = new ApprovalStore(p.approvalsFile());   // what `fedehr site pending/approve` use
        assertThat(store.pending()).singleElement().satisfies(x -> {
            assertThat(x.digest()).isEqualTo(SPEC.digest());
            assertThat(x.runId()).isEqualTo(run.toString());
            assertThat(x.round()).isEqualTo(1);
            assertThat(x.siteId()).isEqualTo("A");
            assertThat(x.requests()).isEqualTo(1);
            assertThat(Instant.parse(x.firstRequested())).isNotNull();
        });
        assertThat(store.approve(SPEC.digest())).isTrue();
        assertThat(store.pending()).isEmpty();
        assertThat(store.approve(SPEC.digest())).isFalse();

        PolicyGate gate = new PolicyGate(SitePolicy.load(f), "A", Clock.systemUTC());
        assertThat(gate.check(train(run, 2, SPEC, true), 50, 50)).isEmpty();
        assertThat(gate.check(evaluate(run, 2, SPEC), 50, 50)).isEmpty();
        // another spec is still refused
        assertThat(gate.check(train(run, 2, org.fedehr.models.ModelSpec.logistic(9), true), 50, 50)).contains(Refusal.UNAPPROVED_MODEL);
        assertThat(store.pending()).hasSize(1);
    }

    @Test
    void repeatedRequestsAreCountedWithFirstAndLastTime() {
        Path f = write(dir, "policy.yaml", "manual_approval: true\n");
        Clock t0 = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        Clock t1 = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        SitePolicy p = SitePolicy.load(f);
        new PolicyGate(p, "A", t0).check(train(UUID.randomUUID(), 1, SPEC, true), 50, 50);
        new PolicyGate(p, "A", t1).check(train(UUID.randomUUID(), 3, SPEC, true), 50, 50);
        var pending = new ApprovalStore(p.approvalsFile()).pending().get(0);
        assertThat(pending.firstRequested()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(pending.lastRequested()).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(pending.round()).isEqualTo(3);
        assertThat(pending.requests()).isEqualTo(2);
    }

    @Test
    void approvingSomethingThatIsNotADigestFails() {
        assertThatThrownBy(() -> new ApprovalStore(dir.resolve("a.json")).approve("logistic-v2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
    }
}
