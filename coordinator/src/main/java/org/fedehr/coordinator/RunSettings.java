package org.fedehr.coordinator;

import org.fedehr.protocol.msg.TrainingPlan;

import java.util.UUID;

/** Everything that defines a run at the coordinator, apart from the initial model. */
public record RunSettings(UUID runId, RoundPolicy policy, Strategy strategy, TrainingPlan training, long seed,
                          boolean evaluateEveryRound) {
    public RunSettings {
        if (runId == null || policy == null || strategy == null || training == null)
            throw new IllegalArgumentException("runId, policy, strategy and training are required");
    }
}
