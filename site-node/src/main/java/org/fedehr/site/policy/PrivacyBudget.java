package org.fedehr.site.policy;

/**
 * A privacy budget (ε, δ) that rounds spend from. The DP accountant computes what one round costs; the site checks
 * {@link #wouldExceed} before it trains and {@link #spend}s once the round's update is built.
 */
public interface PrivacyBudget {
    /** Whether spending (ε, δ) now would take the spent total above the budget. */
    boolean wouldExceed(double epsilon, double delta);

    /** Records (ε, δ) as spent by {@code runId}; throws {@link IllegalStateException} when that would exceed the budget. */
    void spend(double epsilon, double delta, String runId);

    double epsilonSpent();

    double deltaSpent();
}
