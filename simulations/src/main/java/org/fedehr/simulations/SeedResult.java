package org.fedehr.simulations;

import org.fedehr.coordinator.RoundRecord;

import java.util.List;
import java.util.SortedMap;

/**
 * Everything one seeded run of a scenario produced.
 *
 * @param federated       the final global model's figures
 * @param pooledBaseline  centralised training on the union of the training rows (null if disabled)
 * @param localBaselines  per site, a model trained on that site alone (evaluated everywhere)
 * @param modelSha256     SHA-256 of the final global parameters (float32 little-endian), for reproducibility
 * @param updateBytes     size of one TRAIN reply on the wire (envelope + frame)
 * @param rawUpdateBytes  size of the same parameters as raw float32
 */
public record SeedResult(long seed, String status, List<RoundRecord> rounds, ModelMetrics federated,
                         ModelMetrics pooledBaseline, SortedMap<String, ModelMetrics> localBaselines,
                         String modelDigest, String modelSha256, int parameterCount, long bytesUp, long bytesDown,
                         long updateBytes, long rawUpdateBytes, double wallSeconds) {

    /** Local-only baseline of a survival model: mean over sites of each site's own model's C-index on its own test split. */
    public Double localMeanSiteCIndex() {
        if (localBaselines == null || localBaselines.isEmpty()) return null;
        double s = 0;
        int k = 0;
        for (var e : localBaselines.entrySet()) {
            SiteMetrics own = e.getValue().perSite().get(e.getKey());
            if (own != null && own.cIndex() != null) {
                s += own.cIndex();
                k++;
            }
        }
        return k == 0 ? null : s / k;
    }

    /** Local-only baseline: mean over sites of each site's own model on its own test split. */
    public Double localMeanSiteAccuracy() {
        if (localBaselines == null || localBaselines.isEmpty()) return null;
        double s = 0;
        int k = 0;
        for (var e : localBaselines.entrySet()) {
            SiteMetrics own = e.getValue().perSite().get(e.getKey());
            if (own != null && own.accuracy() != null) {
                s += own.accuracy();
                k++;
            }
        }
        return k == 0 ? null : s / k;
    }
}
