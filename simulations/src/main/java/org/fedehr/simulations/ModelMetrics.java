package org.fedehr.simulations;

import java.util.Map;
import java.util.SortedMap;

/**
 * A model's figures on the federation's test splits: on the union of all sites' test rows ("pooled test"),
 * the mean over sites of each site's own accuracy (FLamby's headline metric), and per site. A survival model has
 * the concordance index on the union of the test rows and the mean over sites of each site's C-index instead of the
 * accuracy and AUROC (its loss is the negative partial log-likelihood of the union).
 */
public record ModelMetrics(Double pooledTestAccuracy, Double pooledTestAuroc, Double pooledTestLoss,
                           Double meanSiteAccuracy, SortedMap<String, SiteMetrics> perSite, Double pooledTestCIndex,
                           Double meanSiteCIndex) {
    public ModelMetrics(Double pooledTestAccuracy, Double pooledTestAuroc, Double pooledTestLoss, Double meanSiteAccuracy,
                        SortedMap<String, SiteMetrics> perSite) {
        this(pooledTestAccuracy, pooledTestAuroc, pooledTestLoss, meanSiteAccuracy, perSite, null, null);
    }

    public Map<String, SiteMetrics> sites() {
        return perSite;
    }
}
