package org.fedehr.coordinator;

import java.util.List;
import java.util.Map;

/**
 * What happened in one round, as the coordinator records and reports it.
 *
 * @param round        round number (1-based)
 * @param selected     sites asked to train
 * @param contributed  sites whose update entered the aggregate, with their weights
 * @param noData       sites that had no rows (not failures, not in the aggregate)
 * @param failures     sites that failed, timed out, refused, or sent an update that was rejected
 * @param updated      whether a new global model was produced
 * @param status       human-readable outcome, e.g. "completed with 1 failure (C: timeout)" or "failed: total weight 0"
 * @param evaluation   federated evaluation of the global model after this round (null if not run)
 * @param bytesUp      bytes received from sites this round (train + evaluation replies)
 * @param bytesDown    bytes sent to sites this round (instructions + model downloads)
 * @param seconds      wall time of the round
 * @param lateReplies  replies that arrived during this round for a phase that had already closed (stragglers:
 *                     refused as stale, never counted, but recorded), e.g. "B: TRAIN round 2 arrived during TRAIN round 3"
 */
public record RoundRecord(int round, List<String> selected, Map<String, Double> contributed, List<String> noData,
                          List<SiteFailure> failures, boolean updated, String status,
                          EvaluationSummary evaluation, long bytesUp, long bytesDown, double seconds,
                          List<String> lateReplies) {
    public RoundRecord {
        lateReplies = List.copyOf(lateReplies);
    }
}
