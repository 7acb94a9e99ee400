package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Federated evaluation of one global model: sample-weighted accuracy, loss and AUROC over the sites that
 * reported, with every site's own values kept beside them. Ratios are never averaged plainly: accuracy is
 * total correct over total test rows (case C14). A value no site could compute is null ("n/a").
 */
public record EvaluationSummary(int n, Double accuracy, Double loss, Double auroc,
                                SortedMap<String, EvalMetrics> perSite, List<SiteFailure> failures) {

    public static EvaluationSummary of(Map<String, EvalMetrics> perSite, List<SiteFailure> failures) {
        long n = 0, correct = 0;
        double lossSum = 0, aucSum = 0;
        long lossN = 0, aucN = 0;
        for (EvalMetrics m : new TreeMap<>(perSite).values()) {
            n += m.n();
            correct += m.correct();
            if (m.loss() != null && m.n() > 0) {
                lossSum += m.loss() * m.n();
                lossN += m.n();
            }
            if (m.auroc() != null && m.n() > 0) {
                aucSum += m.auroc() * m.n();
                aucN += m.n();
            }
        }
        return new EvaluationSummary((int) n, n == 0 ? null : (double) correct / n,
                lossN == 0 ? null : lossSum / lossN, aucN == 0 ? null : aucSum / aucN,
                new TreeMap<>(perSite), failures.stream().sorted(Comparator.comparing(SiteFailure::siteId)).toList());
    }

    /**
     * Test-row-weighted mean of the sites' concordance indices (survival models), over the sites that could compute
     * one; null when none could (and always for a binary classifier).
     */
    public Double cIndex() {
        double s = 0;
        long k = 0;
        for (EvalMetrics m : perSite.values()) {
            if (m.cIndex() != null && m.n() > 0) {
                s += m.cIndex() * m.n();
                k += m.n();
            }
        }
        return k == 0 ? null : s / k;
    }

    /** Mean over sites of each site's own concordance index (FLamby's headline for Fed-TCGA-BRCA); null when none. */
    public Double meanSiteCIndex() {
        double s = 0;
        int k = 0;
        for (EvalMetrics m : perSite.values()) {
            if (m.cIndex() != null) {
                s += m.cIndex();
                k++;
            }
        }
        return k == 0 ? null : s / k;
    }

    /** Mean over sites of each site's own accuracy (FLamby's headline metric); sites with no rows are skipped. */
    public Double meanSiteAccuracy() {
        double s = 0;
        int k = 0;
        for (EvalMetrics m : perSite.values()) {
            if (m.accuracy() != null) {
                s += m.accuracy();
                k++;
            }
        }
        return k == 0 ? null : s / k;
    }
}
