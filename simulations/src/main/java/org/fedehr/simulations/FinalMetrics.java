package org.fedehr.simulations;

import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.RoundRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The final figures a grid aggregates over seeds, each named as in summary.json. Model figures come from the
 * simulation harness's evaluation of the final model ({@link ModelMetrics}); the fairness figures are the spread of
 * the sites' own accuracies; {@code coordinator_*} are the federated evaluation of the last round that evaluated.
 */
public final class FinalMetrics {
    private FinalMetrics() {
    }

    /** A named figure of one run (null when the run has none). */
    public record Metric<T>(String name, String description, Function<T, Double> of) {
    }

    public static final List<Metric<ModelMetrics>> MODEL = List.of(
            new Metric<>("pooled_test_accuracy", "accuracy on the union of the sites' test rows", ModelMetrics::pooledTestAccuracy),
            new Metric<>("pooled_test_auroc", "AUROC on the union of the sites' test rows", ModelMetrics::pooledTestAuroc),
            new Metric<>("pooled_test_loss", "log-loss on the union of the sites' test rows", ModelMetrics::pooledTestLoss),
            new Metric<>("mean_site_accuracy", "mean over sites of each site's test accuracy", ModelMetrics::meanSiteAccuracy),
            new Metric<>("worst_site_accuracy", "lowest site test accuracy", m -> min(siteAccuracies(m))),
            new Metric<>("best_site_accuracy", "highest site test accuracy", m -> max(siteAccuracies(m))),
            new Metric<>("site_accuracy_sd", "population sd of the sites' test accuracies", m -> sd(siteAccuracies(m))),
            new Metric<>("pooled_test_c_index", "concordance index on the union of the sites' test rows (survival models)",
                    ModelMetrics::pooledTestCIndex),
            new Metric<>("mean_site_c_index", "mean over sites of each site's test C-index (survival models)", ModelMetrics::meanSiteCIndex),
            new Metric<>("worst_site_c_index", "lowest site test C-index (survival models)", m -> min(siteValues(m, SiteMetrics::cIndex))));

    public static final List<Metric<SeedResult>> RUN = List.of(
            new Metric<>("coordinator_accuracy", "federated evaluation of the last evaluated round (test-row weighted)",
                    r -> lastEvaluation(r) == null ? null : lastEvaluation(r).accuracy()),
            new Metric<>("coordinator_auroc", "federated AUROC of the last evaluated round (test-row weighted mean of site AUROCs)",
                    r -> lastEvaluation(r) == null ? null : lastEvaluation(r).auroc()),
            new Metric<>("coordinator_loss", "federated loss of the last evaluated round (test-row weighted)",
                    r -> lastEvaluation(r) == null ? null : lastEvaluation(r).loss()),
            new Metric<>("coordinator_c_index", "federated C-index of the last evaluated round (test-row weighted; survival models)",
                    r -> lastEvaluation(r) == null ? null : lastEvaluation(r).cIndex()),
            new Metric<>("rounds_aggregated", "rounds that produced a new global model",
                    r -> (double) r.rounds().stream().filter(RoundRecord::updated).count()),
            new Metric<>("bytes_up", "bytes received by the coordinator over the run", r -> (double) r.bytesUp()),
            new Metric<>("bytes_down", "bytes sent by the coordinator over the run", r -> (double) r.bytesDown()),
            new Metric<>("wall_seconds", "wall time of the run (baselines included when this run trained them)", SeedResult::wallSeconds));

    /** Every final figure of a run: the federated model's then the run's; an empty map-entry value means n/a. */
    public static Map<String, Double> of(SeedResult r) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (Metric<ModelMetrics> m : MODEL) out.put(m.name(), r.federated() == null ? null : m.of().apply(r.federated()));
        for (Metric<SeedResult> m : RUN) out.put(m.name(), m.of().apply(r));
        return out;
    }

    public static List<String> names() {
        List<String> out = new ArrayList<>();
        MODEL.forEach(m -> out.add(m.name()));
        RUN.forEach(m -> out.add(m.name()));
        return out;
    }

    static EvaluationSummary lastEvaluation(SeedResult r) {
        for (int i = r.rounds().size() - 1; i >= 0; i--)
            if (r.rounds().get(i).evaluation() != null) return r.rounds().get(i).evaluation();
        return null;
    }

    static List<Double> siteAccuracies(ModelMetrics m) {
        return siteValues(m, SiteMetrics::accuracy);
    }

    static List<Double> siteValues(ModelMetrics m, Function<SiteMetrics, Double> f) {
        List<Double> out = new ArrayList<>();
        m.perSite().values().forEach(s -> {
            if (f.apply(s) != null) out.add(f.apply(s));
        });
        return out;
    }

    static Double min(Collection<Double> v) {
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
    }

    static Double max(Collection<Double> v) {
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
    }

    static Double sd(Collection<Double> v) {
        MeanSd s = MeanSd.of(v);
        return s == null ? null : s.sd();
    }
}
