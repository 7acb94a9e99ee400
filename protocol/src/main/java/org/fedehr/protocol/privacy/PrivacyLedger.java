package org.fedehr.protocol.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * A site's running privacy account. Rounds are composed in RDP (order-wise sums) and the cumulative (ε, δ) is the
 * conversion of the sum at the budget's δ. A round is admitted only if the cumulative ε <em>including it</em> stays
 * within the budget ({@link #canSpend}); {@link #spend} refuses, recording nothing, a round that would exceed it. So
 * a site checks (or simply spends) before it trains and never releases an update the budget does not cover.
 * Thread-safe.
 */
public final class PrivacyLedger {
    private final PrivacyBudget budget;
    private final RdpAccountant accountant;
    private final Conversion conversion;
    private final List<PrivacySpend> history = new ArrayList<>();
    private RdpCurve spent;

    /** A ledger over the default orders with the tight conversion. */
    public PrivacyLedger(PrivacyBudget budget) {
        this(budget, new RdpAccountant(), Conversion.TIGHT);
    }

    public PrivacyLedger(PrivacyBudget budget, RdpAccountant accountant, Conversion conversion) {
        if (budget == null || accountant == null || conversion == null)
            throw new IllegalArgumentException("budget, accountant and conversion must not be null");
        this.budget = budget;
        this.accountant = accountant;
        this.conversion = conversion;
        this.spent = RdpCurve.zero(accountant.orders());
    }

    public PrivacyBudget budget() {
        return budget;
    }

    public RdpAccountant accountant() {
        return accountant;
    }

    /** The RDP curve of one DP-SGD round ({@code steps} steps at sampling rate q and noise multiplier σ) over this ledger's orders. */
    public RdpCurve roundRdp(double q, double sigma, long steps) {
        return accountant.curve(q, sigma, steps);
    }

    /** Everything recorded so far, composed. */
    public synchronized RdpCurve spent() {
        return spent;
    }

    /** The cumulative (ε, δ) so far (ε = 0 before any round). */
    public synchronized DpGuarantee cumulative() {
        return RdpAccountant.epsilon(spent, budget.delta(), conversion);
    }

    /** The cumulative (ε, δ) there would be after also spending {@code roundRdp}. */
    public synchronized DpGuarantee ifSpent(RdpCurve roundRdp) {
        return RdpAccountant.epsilon(spent.plus(roundRdp), budget.delta(), conversion);
    }

    /** True when spending {@code roundRdp} keeps the cumulative ε within the budget (at the budget's δ). */
    public synchronized boolean canSpend(RdpCurve roundRdp) {
        return ifSpent(roundRdp).within(budget.epsilon());
    }

    /**
     * Records round {@code round} (strictly after every recorded round) and returns its entry, or throws
     * {@link BudgetExceededException} and records nothing when it would exceed the budget.
     */
    public synchronized PrivacySpend spend(long round, RdpCurve roundRdp) {
        if (!history.isEmpty() && round <= history.get(history.size() - 1).round())
            throw new IllegalArgumentException("round must be after the last recorded round " + history.get(history.size() - 1).round()
                    + ", got " + round);
        DpGuarantee after = ifSpent(roundRdp);
        if (!after.within(budget.epsilon())) throw new BudgetExceededException(round, after, budget);
        PrivacySpend entry = new PrivacySpend(round, roundRdp, RdpAccountant.epsilon(roundRdp, budget.delta(), conversion), after);
        spent = spent.plus(roundRdp);
        history.add(entry);
        return entry;
    }

    /** Every recorded round, oldest first. */
    public synchronized List<PrivacySpend> history() {
        return List.copyOf(history);
    }
}
