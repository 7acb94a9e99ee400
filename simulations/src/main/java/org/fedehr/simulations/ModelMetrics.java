package org.fedehr.simulations;

import java.util.Map;
import java.util.SortedMap;

/**
 * A model's figures on the federation's test splits: on the union of all sites' test rows ("pooled test"),
 * the mean over sites of each site's own accuracy (FLamby's headline metric), and per site.
 */
public record ModelMetrics(Double pooledTestAccuracy, Double pooledTestAuroc, Double pooledTestLoss,
                           Double meanSiteAccuracy, SortedMap<String, SiteMetrics> perSite) {
    public Map<String, SiteMetrics> sites() {
        return perSite;
    }
}
