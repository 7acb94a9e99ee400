package org.fedehr.protocol.msg;

/**
 * A site's evaluation of the global model on its test split. A value that cannot be computed is
 * absent ("n/a"), never NaN: accuracy and loss when n = 0, AUROC when the test labels have one class.
 */
public record EvalMetrics(int n, int correct, Double loss, Double auroc) {
    public EvalMetrics {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        if (correct < 0 || correct > n) throw new IllegalArgumentException("correct must be in [0, n=" + n + "], was " + correct);
        if (loss != null && !Double.isFinite(loss)) throw new IllegalArgumentException("loss must be finite or absent, was " + loss);
        if (auroc != null && !(auroc >= 0 && auroc <= 1))
            throw new IllegalArgumentException("auroc must be in [0,1] or absent, was " + auroc);
    }

    /** Accuracy, or null when there were no test rows. */
    public Double accuracy() {
        return n == 0 ? null : (double) correct / n;
    }
}
