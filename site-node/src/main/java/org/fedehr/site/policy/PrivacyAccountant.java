package org.fedehr.site.policy;

import org.fedehr.protocol.msg.TaskInstruction;

/**
 * The hook a DP accountant plugs into: what one TRAIN instruction will cost in (ε, δ) at this site. The policy check
 * refuses the round ("budget exhausted") when the cost would exceed the project's remaining budget. Without an
 * accountant rounds cost nothing ({@link #NONE}).
 */
@FunctionalInterface
public interface PrivacyAccountant {
    Cost roundCost(TaskInstruction t);

    /** Called once the round's cost was spent from the budget (an accountant that keeps state records it here). */
    default void spent(TaskInstruction t) {
    }

    record Cost(double epsilon, double delta) {
        public static final Cost ZERO = new Cost(0, 0);

        public Cost {
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
            if (!(delta >= 0 && delta < 1)) throw new IllegalArgumentException("delta must be in [0, 1), was " + delta);
        }

        public boolean isZero() {
            return epsilon == 0 && delta == 0;
        }
    }

    PrivacyAccountant NONE = t -> Cost.ZERO;
}
