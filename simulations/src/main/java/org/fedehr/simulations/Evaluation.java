package org.fedehr.simulations;

import org.fedehr.models.BinaryMetrics;
import org.fedehr.models.EvalResult;
import org.fedehr.models.LocalTrainer;

import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates a parameter vector on every site's harmonised test split and on their union. Runs in the
 * simulation harness, which (unlike the coordinator) may see all sites' test rows: this is the researcher's
 * reference measurement, reported next to the coordinator's federated (sample-weighted) figures.
 */
final class Evaluation {
    private Evaluation() {
    }

    static ModelMetrics of(LocalTrainer trainer, float[] params, Map<String, HarmonisedSite> sites) {
        return of(trainer, params, Map.of(), sites);
    }

    /**
     * Personalised evaluation (Ditto): each site's test rows are scored by that site's own model ({@code perSite}, or
     * {@code params} for a site without one); the pooled figures are over the union of the test rows so scored.
     * Survival models are evaluated with {@code params} only.
     */
    static ModelMetrics of(LocalTrainer trainer, float[] params, Map<String, float[]> perSiteParams, Map<String, HarmonisedSite> sites) {
        if (trainer.spec().survival()) return survival(trainer, params, sites);
        TreeMap<String, SiteMetrics> perSite = new TreeMap<>();
        int total = 0;
        for (HarmonisedSite s : sites.values()) total += s.yTest().length;
        float[] allScores = new float[total];
        float[] allLabels = new float[total];
        int off = 0;
        double siteAccSum = 0;
        int siteAccN = 0;
        double lossSum = 0;
        for (HarmonisedSite s : new TreeMap<>(sites).values()) {
            EvalResult r = trainer.evaluate(perSiteParams.getOrDefault(s.siteId(), params), s.xTest(), s.yTest());
            perSite.put(s.siteId(), new SiteMetrics(r.accuracy(), r.auroc(), r.n()));
            if (r.accuracy() != null) {
                siteAccSum += r.accuracy();
                siteAccN++;
                lossSum += r.loss() * r.n();
            }
            if (r.n() > 0) {
                System.arraycopy(r.scores(), 0, allScores, off, r.n());
                System.arraycopy(s.yTest(), 0, allLabels, off, r.n());
                off += r.n();
            }
        }
        Double acc = null, auc = null, loss = null;
        if (total > 0) {
            acc = (double) BinaryMetrics.correctAt(allScores, allLabels, 0.5) / total;
            loss = lossSum / total;
            boolean pos = false, neg = false;
            for (float l : allLabels) {
                if (l > 0.5f) pos = true;
                else neg = true;
            }
            if (pos && neg) auc = BinaryMetrics.auroc(allScores, allLabels);
        }
        return new ModelMetrics(acc, auc, loss, siteAccN == 0 ? null : siteAccSum / siteAccN, perSite);
    }

    /**
     * A survival model: each site's C-index on its own test rows, their mean over sites (FLamby's headline), and the
     * C-index and mean negative partial log-likelihood on the union of the test rows (FLamby's "Pooled Test").
     */
    private static ModelMetrics survival(LocalTrainer trainer, float[] params, Map<String, HarmonisedSite> sites) {
        TreeMap<String, SiteMetrics> perSite = new TreeMap<>();
        int total = 0;
        for (HarmonisedSite s : sites.values()) total += s.yTest().length;
        float[] risk = new float[total], time = new float[total], event = new float[total];
        float[][] x = new float[total][];
        int off = 0;
        double cSum = 0;
        int cN = 0;
        for (HarmonisedSite s : new TreeMap<>(sites).values()) {
            EvalResult r = trainer.evaluate(params, s.xTest(), s.yTest(), s.tTest());
            perSite.put(s.siteId(), new SiteMetrics(null, null, r.n(), r.cIndex()));
            if (r.cIndex() != null) {
                cSum += r.cIndex();
                cN++;
            }
            if (r.n() > 0) {
                System.arraycopy(r.scores(), 0, risk, off, r.n());
                System.arraycopy(s.tTest(), 0, time, off, r.n());
                System.arraycopy(s.yTest(), 0, event, off, r.n());
                System.arraycopy(s.xTest(), 0, x, off, r.n());
                off += r.n();
            }
        }
        Double c = null, loss = null;
        if (total > 0) {
            EvalResult pooled = trainer.evaluate(params, x, event, time);
            c = pooled.cIndex();
            loss = pooled.loss();
        }
        return new ModelMetrics(null, null, loss, null, perSite, c, cN == 0 ? null : cSum / cN);
    }
}
