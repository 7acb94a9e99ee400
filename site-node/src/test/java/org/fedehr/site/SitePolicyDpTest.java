package org.fedehr.site;

import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.privacy.Conversion;
import org.fedehr.protocol.privacy.RdpAccountant;
import org.fedehr.site.data.DataConfigException;
import org.fedehr.site.policy.PolicyGate;
import org.fedehr.site.policy.RdpPrivacyAccountant;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.fedehr.site.PolicyFixtures.*;

/** DP-SGD demanded by the site's policy, charged by the RDP accountant against the project's budget. */
class SitePolicyDpTest {
    @TempDir
    Path dir;

    Path policy(String dp, double budgetEpsilon) {
        return write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\n"
                + "privacy_budget: {project: p, epsilon: " + budgetEpsilon + ", delta: 1.0e-5, state_file: budget.json}\n"
                + "differential_privacy: " + dp + "\n");
    }

    @Test
    void roundCostsAddUpToTheRdpComposedEpsilonAndTheBudgetRefusesTheRoundThatWouldExceedIt() {
        int rows = 200;   // PolicyFixtures' plan: batch 4 of 200 rows, q = 0.02, 50 steps a round
        SitePolicy p = SitePolicy.load(policy("{clip_norm: 1.0, noise_multiplier: 1.0}", 2.0));
        PolicyGate gate = new PolicyGate(p, "A", Clock.systemUTC());
        RdpPrivacyAccountant acc = new RdpPrivacyAccountant(() -> p.dpSgd().settings(), rows, p.budget(), "A");
        gate.accountant(acc);
        UUID run = UUID.randomUUID();
        int admitted = 0;
        for (int r = 1; r <= 100; r++) {
            TaskInstruction t = train(run, r, SPEC, true);
            Optional<String> refusal = gate.check(t, rows, 50);
            if (refusal.isPresent()) {
                assertThat(refusal).contains(Refusal.BUDGET_EXHAUSTED);
                break;
            }
            gate.spend(t);
            admitted++;
            // the budget store's running sum equals the RDP-composed ε of the rounds so far (independently recomputed)
            int b = PLAN.batchSize();
            long steps = (long) r * ((rows + b - 1) / b);
            double composed = new RdpAccountant().epsilon((double) b / rows, 1.0, steps, 1e-5, Conversion.TIGHT).epsilon();
            assertThat(gate.budget().epsilonSpent()).isCloseTo(composed, within(1e-9));
            assertThat(acc.epsilonSpent()).isCloseTo(composed, within(1e-9));
        }
        assertThat(admitted).isBetween(1, 99);
        assertThat(gate.budget().epsilonSpent()).isLessThanOrEqualTo(2.0 + 1e-12);
        assertThat(gate.budget().deltaSpent()).isEqualTo(1e-5);   // δ charged once, with the first round
        // a new run of the same project (state re-read from the files) is refused at once
        SitePolicy again = SitePolicy.load(dir.resolve("policy.yaml"));
        PolicyGate gate2 = new PolicyGate(again, "A", Clock.systemUTC());
        gate2.accountant(new RdpPrivacyAccountant(() -> again.dpSgd().settings(), rows, again.budget(), "A"));
        assertThat(gate2.check(train(UUID.randomUUID(), 1, SPEC, true), rows, 50)).contains(Refusal.BUDGET_EXHAUSTED);
    }

    @Test
    void policyErrorsNameTheKey() {
        assertThatThrownBy(() -> SitePolicy.load(policy("{clip_norm: 1.0}", 1.0)))
                .isInstanceOf(DataConfigException.class).hasMessageContaining("exactly one of noise_multiplier and target_epsilon");
        assertThatThrownBy(() -> SitePolicy.load(policy("{clip_norm: 1.0, target_epsilon: 3.0}", 1.0)))
                .isInstanceOf(DataConfigException.class).hasMessageContaining("rounds");
        assertThatThrownBy(() -> SitePolicy.load(policy("{clip_norm: 1.0, noise_multiplier: 1.0, sampling: shuffle}", 1.0)))
                .isInstanceOf(DataConfigException.class).hasMessageContaining("Poisson sampling only");
        assertThatThrownBy(() -> SitePolicy.load(policy("{clip_norm: 1.0, target_epsilon: 3.0, rounds: 20}", 0.5)))
                .isInstanceOf(DataConfigException.class).hasMessageContaining("target_epsilon 3.0 exceeds privacy_budget.epsilon 0.5");
        assertThatThrownBy(() -> SitePolicy.load(policy("{clip_norm: 1.0, noise_multplier: 1.0}", 1.0)))
                .isInstanceOf(DataConfigException.class).hasMessageContaining("noise_multplier");
    }
}
