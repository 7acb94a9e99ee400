package org.fedehr.coordinator;

import java.util.List;

/**
 * A federated optimisation strategy: which sites train, and how their updates become the next global model.
 * Implementations compile without Vert.x and are tested with hand-computed expectations.
 */
public interface Strategy {
    String name();

    /** The sites asked to train in this round, chosen from those available (sorted by id). */
    default List<String> configureTrain(int round, List<String> available) {
        return available;
    }

    /**
     * Aggregates this round's validated updates. {@code updates} holds only sites that contributed; those that
     * did not are in {@code failures}. May return {@link Aggregation#none} with a reason; must never return
     * non-finite parameters.
     */
    Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures);
}
