package org.fedehr.simulations;

import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.protocol.msg.EvalMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Hand-built results of grid runs (for aggregation and report tests that must not depend on training). */
final class GridResults {
    private GridResults() {
    }

    /** A final model's figures with sites A and B at the given accuracies (10 test rows each). */
    static ModelMetrics model(double pooledAccuracy, double auroc, double loss, double a, double b) {
        SortedMap<String, SiteMetrics> sites = new TreeMap<>(Map.of("A", new SiteMetrics(a, 0.7, 10), "B", new SiteMetrics(b, 0.8, 10)));
        return new ModelMetrics(pooledAccuracy, auroc, loss, (a + b) / 2, sites);
    }

    /** Round r of a two-site federation: accuracy {@code acc}, optionally with B failing or replying late. */
    static RoundRecord round(int r, double acc, boolean bFails, boolean lateReply) {
        int correctA = (int) Math.round(acc * 10);
        Map<String, EvalMetrics> per = Map.of("A", new EvalMetrics(10, correctA, 0.6 - 0.01 * r, 0.7), "B",
                new EvalMetrics(10, correctA, 0.5 - 0.01 * r, 0.8));
        List<SiteFailure> failures = bFails ? List.of(new SiteFailure("B", "timeout", "no reply within 60 s")) : List.of();
        Map<String, Double> contributed = bFails ? Map.of("A", 30.0) : Map.of("A", 30.0, "B", 50.0);
        return new RoundRecord(r, List.of("A", "B"), contributed, List.of(), failures, true,
                bFails ? "completed with 1 failure (B: timeout)" : "completed", EvaluationSummary.of(per, List.of()),
                1000L + r, 2000L + r, 0.5, lateReply ? List.of("B: TRAIN round " + (r - 1) + " arrived during TRAIN round " + r) : List.of());
    }

    static SeedResult seed(long seed, ModelMetrics federated, List<RoundRecord> rounds, ModelMetrics pooled,
                           SortedMap<String, ModelMetrics> local) {
        return new SeedResult(seed, "completed " + rounds.size() + " rounds", rounds, federated, pooled, local, "digest", "sha",
                3, 5000, 9000, 300, 12, 2.0);
    }

    static List<RoundRecord> rounds(int n, boolean faults) {
        List<RoundRecord> out = new ArrayList<>();
        for (int r = 1; r <= n; r++) out.add(round(r, 0.5 + 0.1 * r, faults && r == 2, faults && r == 3));
        return out;
    }
}
