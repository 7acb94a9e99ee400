package org.fedehr.simulations;

/** One site's test-split figures for one model: accuracy and AUROC are null when not computable ("n/a"). */
public record SiteMetrics(Double accuracy, Double auroc, int nTest) {
}
