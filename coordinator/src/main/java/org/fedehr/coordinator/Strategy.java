package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;

import java.util.List;
import java.util.Map;

/**
 * A federated optimisation strategy: which sites train, how their updates become the next global model, which
 * sites evaluate it and how their metrics combine (the configure/aggregate shape Flower uses).
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

    /** The sites asked to evaluate the global model produced by this round (default: every registered site). */
    default List<String> configureEvaluate(int round, List<String> available) {
        return available;
    }

    /**
     * Combines the sites' evaluations of this round's global model. The default weights every ratio by test rows
     * (case C14) and keeps each site's own values beside the federated ones.
     */
    default EvaluationSummary aggregateEvaluate(int round, Map<String, EvalMetrics> perSite, List<SiteFailure> failures) {
        return EvaluationSummary.of(perSite, failures);
    }
}
