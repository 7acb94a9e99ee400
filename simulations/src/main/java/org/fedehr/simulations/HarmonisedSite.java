package org.fedehr.simulations;

/** A site's rows after federated harmonisation, as the harness holds them for baselines and reference metrics. */
record HarmonisedSite(String siteId, float[][] xTrain, float[] yTrain, float[][] xTest, float[] yTest) {
}
