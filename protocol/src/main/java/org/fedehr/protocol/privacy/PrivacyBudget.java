package org.fedehr.protocol.privacy;

/** A site's total privacy budget: the federation run as a whole must stay (ε_max, δ)-DP for the site's records. */
public record PrivacyBudget(double epsilon, double delta) {
    public PrivacyBudget {
        Checks.epsilon(epsilon);
        Checks.delta(delta);
    }
}
