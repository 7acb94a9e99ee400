package org.fedehr.simulations;

/**
 * One site's test-split figures for one model: accuracy and AUROC are null when not computable ("n/a"); a survival
 * model has a concordance index instead (null when no pair is comparable) and no accuracy or AUROC.
 */
public record SiteMetrics(Double accuracy, Double auroc, int nTest, Double cIndex) {
    public SiteMetrics(Double accuracy, Double auroc, int nTest) {
        this(accuracy, auroc, nTest, null);
    }
}
