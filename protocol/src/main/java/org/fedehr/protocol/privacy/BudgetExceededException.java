package org.fedehr.protocol.privacy;

/** A round the site must refuse: recording it would take the cumulative ε above the site's budget. */
public final class BudgetExceededException extends IllegalStateException {
    private final long round;
    private final DpGuarantee wouldBe;
    private final PrivacyBudget budget;

    public BudgetExceededException(long round, DpGuarantee wouldBe, PrivacyBudget budget) {
        super("round " + round + " refused: it would take the privacy spend to epsilon = " + wouldBe.epsilon() + " at delta = "
                + wouldBe.delta() + ", above the budget epsilon = " + budget.epsilon());
        this.round = round;
        this.wouldBe = wouldBe;
        this.budget = budget;
    }

    public long round() {
        return round;
    }

    public DpGuarantee wouldBe() {
        return wouldBe;
    }

    public PrivacyBudget budget() {
        return budget;
    }
}
