package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.LocalAlgorithm;

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

    /**
     * Whether this strategy can work from the weighted mean of the contributors' updates alone, which is all that
     * secure aggregation reveals to the coordinator. Robust aggregators (median, trimmed mean, Krum) need the
     * individual updates and return false; a run that combines them with secure aggregation is refused up front.
     */
    default boolean worksOnMeans() {
        return false;
    }

    /**
     * Aggregates from the weighted mean of this round's contributing updates (weights = training rows), as a
     * secure sum divided by the securely summed total weight gives it. {@code contributors} are the sites whose
     * updates are inside the mean; {@code failures} those that were selected but are not. Only called when
     * {@link #worksOnMeans()} is true.
     */
    default Aggregation aggregateMean(int round, float[] global, double[] weightedMeanDelta, double totalWeight,
                                      List<String> contributors, List<SiteFailure> failures) {
        throw new UnsupportedOperationException(name() + " needs the individual updates; it cannot run on a secure sum");
    }

    /**
     * What sites do beyond plain local training (FedProx's proximal term, SCAFFOLD's control variates, Ditto's
     * personal model); sent with every TRAIN and EVALUATE instruction. Null (the default): plain training. Under
     * SCAFFOLD the global vector, the model frames and the updates are {@link LocalAlgorithm#vectorLength} long: the
     * model's parameters followed by the control variate.
     */
    default LocalAlgorithm localAlgorithm() {
        return null;
    }

    /**
     * Whether sites evaluate their own personalised model rather than the global one (Ditto): the federated
     * evaluation then measures the personalised models, and a simulation's reference metrics use them too.
     */
    default boolean personalised() {
        return localAlgorithm() != null && localAlgorithm().kind() == LocalAlgorithm.Kind.DITTO;
    }

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
