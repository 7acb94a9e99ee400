package org.fedehr.simulations;

/**
 * A site's rows after federated harmonisation, as the harness holds them for baselines and reference metrics. For
 * survival data {@code y} holds the event indicators and {@code tTrain} / {@code tTest} the times (null otherwise).
 */
record HarmonisedSite(String siteId, float[][] xTrain, float[] yTrain, float[][] xTest, float[] yTest, float[] tTrain,
                      float[] tTest) {
    HarmonisedSite(String siteId, float[][] xTrain, float[] yTrain, float[][] xTest, float[] yTest) {
        this(siteId, xTrain, yTrain, xTest, yTest, null, null);
    }
}
