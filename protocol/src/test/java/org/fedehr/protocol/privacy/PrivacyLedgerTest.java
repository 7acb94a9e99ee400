package org.fedehr.protocol.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A site's budget: rounds compose in RDP, the round that would exceed (ε_max, δ) is refused and nothing is recorded. */
class PrivacyLedgerTest {
    @Test
    void spendsUntilTheBudgetThenRefuses() {
        PrivacyLedger ledger = new PrivacyLedger(new PrivacyBudget(3, 1e-5));
        RdpAccountant accountant = ledger.accountant();
        double q = 4.0 / 199, sigma = 1.0;
        long steps = 50;
        RdpCurve round = ledger.roundRdp(q, sigma, steps);
        assertThat(ledger.cumulative().epsilon()).isZero();

        int r = 0;
        double prev = 0;
        while (ledger.canSpend(round)) {
            PrivacySpend s = ledger.spend(++r, round);
            assertThat(s.round()).isEqualTo(r);
            assertThat(s.cumulative().epsilon()).isGreaterThan(prev).isLessThanOrEqualTo(3);
            assertThat(s.roundAlone().epsilon()).isLessThanOrEqualTo(s.cumulative().epsilon());
            // composition in RDP: r rounds of 50 steps = 50r steps
            assertThat(s.cumulative().epsilon()).isCloseTo(accountant.epsilon(q, sigma, steps * r, 1e-5).epsilon(), within(1e-9));
            prev = s.cumulative().epsilon();
        }
        assertThat(r).isGreaterThan(1);
        int spentRounds = r;
        DpGuarantee before = ledger.cumulative();
        assertThatThrownBy(() -> ledger.spend(spentRounds + 1, round))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("round " + (spentRounds + 1) + " refused").hasMessageContaining("above the budget epsilon = 3.0");
        assertThat(ledger.cumulative()).isEqualTo(before);
        assertThat(ledger.history()).hasSize(spentRounds);
        assertThat(ledger.ifSpent(round).epsilon()).isGreaterThan(3);
        // a cheaper round (more noise) may still fit
        RdpCurve cheap = ledger.roundRdp(q, 20, 1);
        assertThat(ledger.canSpend(cheap)).isTrue();
        assertThat(ledger.spend(spentRounds + 1, cheap).cumulative().epsilon()).isLessThanOrEqualTo(3);
        assertThatThrownBy(() -> ledger.spend(spentRounds, cheap)).hasMessageContaining("after the last recorded round");
    }

    @Test
    void budgetIsValidated() {
        assertThatThrownBy(() -> new PrivacyBudget(0, 1e-5)).hasMessage("epsilon must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new PrivacyBudget(1, 2)).hasMessage("delta must be in (0, 1), got 2.0");
    }
}
