package org.fedehr.coordinator;

import org.fedehr.protocol.msg.TrainingPlan;

import java.util.UUID;

/**
 * Everything that defines a run at the coordinator, apart from the initial model.
 *
 * @param secureAggregation how updates are masked, or null for plain (unmasked) updates
 */
public record RunSettings(UUID runId, RoundPolicy policy, Strategy strategy, TrainingPlan training, long seed,
                          boolean evaluateEveryRound, SecureAggregation secureAggregation) {
    public RunSettings {
        if (runId == null || policy == null || strategy == null || training == null)
            throw new IllegalArgumentException("runId, policy, strategy and training are required");
        if (secureAggregation != null && !strategy.worksOnMeans())
            throw new IllegalArgumentException("strategy " + strategy.name() + " needs the individual updates, which secure"
                    + " aggregation never reveals: turn secure aggregation off or choose a strategy that works on the mean");
    }

    /** A run with plain (unmasked) updates. */
    public RunSettings(UUID runId, RoundPolicy policy, Strategy strategy, TrainingPlan training, long seed,
                       boolean evaluateEveryRound) {
        this(runId, policy, strategy, training, seed, evaluateEveryRound, null);
    }
}
