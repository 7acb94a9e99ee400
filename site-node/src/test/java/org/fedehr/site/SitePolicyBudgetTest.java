package org.fedehr.site;

import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.site.policy.PolicyGate;
import org.fedehr.site.policy.PrivacyAccountant;
import org.fedehr.site.policy.PrivacyBudgetStore;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedehr.site.PolicyFixtures.*;

/** The per-project privacy budget is spent across runs: its state file persists what earlier runs used. */
class SitePolicyBudgetTest {
    @TempDir
    Path dir;
    static final PrivacyAccountant COST = t -> new PrivacyAccountant.Cost(0.6, 1e-6);

    Path policyFile(String project) {
        return write(dir, "policy-" + project + ".yaml", "approved_models: [" + SPEC.digest() + "]\n"
                + "privacy_budget: {project: " + project + ", epsilon: 1.0, delta: 1.0e-5, state_file: budget.json}\n");
    }

    @Test
    void aSecondRunOfTheSameProjectIsRefusedOnceTheBudgetIsSpent() throws Exception {
        Path f = policyFile("cardio");
        // run 1: admitted, and its round's cost is spent
        PolicyGate run1 = new PolicyGate(SitePolicy.load(f), "A", Clock.systemUTC()).accountant(COST);
        var t1 = train(UUID.randomUUID(), 1, SPEC, true);
        assertThat(run1.check(t1, 50, 50)).isEmpty();
        run1.spend(t1);
        assertThat(Files.readString(dir.resolve("budget.json"))).contains("cardio").contains("0.6");

        // run 2, a new process: the policy and its state are read again from the files
        SitePolicy reread = SitePolicy.load(f);
        PolicyGate run2 = new PolicyGate(reread, "A", Clock.systemUTC()).accountant(COST);
        assertThat(run2.budget().epsilonSpent()).isEqualTo(0.6);
        var t2 = train(UUID.randomUUID(), 1, SPEC, true);
        assertThat(run2.check(t2, 50, 50)).isEqualTo(Optional.of(Refusal.BUDGET_EXHAUSTED));

        // and the node refuses without reading a row
        RecordingLink link = new RecordingLink();
        UntouchableRows rows = new UntouchableRows(50, 50);
        new SiteNode("A", DICT, rows, link, null, reread).privacyAccountant(COST).handle(t2);
        assertThat(rows.reads).isZero();
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.REFUSED);
        assertThat(link.sent.get(0).reply().message()).isEqualTo(Refusal.BUDGET_EXHAUSTED);
    }

    @Test
    void anotherProjectAndAnotherSiteHaveTheirOwnBudget() {
        PolicyGate a = new PolicyGate(SitePolicy.load(policyFile("cardio")), "A", Clock.systemUTC()).accountant(COST);
        var t = train(UUID.randomUUID(), 1, SPEC, true);
        a.spend(t);
        assertThat(new PolicyGate(SitePolicy.load(policyFile("oncology")), "A", Clock.systemUTC()).accountant(COST).check(t, 50, 50)).isEmpty();
        assertThat(new PolicyGate(SitePolicy.load(policyFile("cardio")), "B", Clock.systemUTC()).accountant(COST).check(t, 50, 50)).isEmpty();
    }

    @Test
    void spendingBeyondTheBudgetIsRefusedByTheStore() {
        SitePolicy p = SitePolicy.load(policyFile("cardio"));
        PrivacyBudgetStore s = new PrivacyBudgetStore(p.budget(), "A", Clock.systemUTC());
        assertThat(s.wouldExceed(1.0, 1e-5)).isFalse();
        assertThat(s.wouldExceed(1.01, 0)).isTrue();
        assertThat(s.wouldExceed(0, 2e-5)).isTrue();
        s.spend(0.7, 0, "run-1");
        assertThatThrownBy(() -> s.spend(0.7, 0, "run-2")).isInstanceOf(IllegalStateException.class).hasMessageContaining("budget exhausted");
        assertThat(s.epsilonSpent()).isEqualTo(0.7);
    }

    @Test
    void roundsWithoutAnAccountantCostNothing() {
        PolicyGate g = new PolicyGate(SitePolicy.load(policyFile("cardio")), "A", Clock.systemUTC());
        var t = train(UUID.randomUUID(), 1, SPEC, true);
        for (int i = 0; i < 5; i++) g.spend(t);
        assertThat(g.check(t, 50, 50)).isEmpty();
        assertThat(g.budget().epsilonSpent()).isZero();
    }
}
