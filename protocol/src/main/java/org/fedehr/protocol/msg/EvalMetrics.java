package org.fedehr.protocol.msg;

/**
 * A site's evaluation of the global model on its test split. A value that cannot be computed is
 * absent ("n/a"), never NaN: accuracy and loss when n = 0, AUROC when the test labels have one class.
 * A survival model reports its concordance index as {@code c_index} (absent when no pair of test rows is
 * comparable, and always for a binary classifier); its {@code correct} is 0 and its loss the mean negative partial
 * log-likelihood.
 */
public record EvalMetrics(int n, int correct, Double loss, Double auroc, Double cIndex) {

    /** A binary classifier's evaluation (no concordance index). */
    public EvalMetrics(int n, int correct, Double loss, Double auroc) {
        this(n, correct, loss, auroc, null);
    }

    public EvalMetrics {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        if (correct < 0 || correct > n) throw new IllegalArgumentException("correct must be in [0, n=" + n + "], was " + correct);
        if (loss != null && !Double.isFinite(loss)) throw new IllegalArgumentException("loss must be finite or absent, was " + loss);
        if (auroc != null && !(auroc >= 0 && auroc <= 1))
            throw new IllegalArgumentException("auroc must be in [0,1] or absent, was " + auroc);
        if (cIndex != null && !(cIndex >= 0 && cIndex <= 1))
            throw new IllegalArgumentException("c_index must be in [0,1] or absent, was " + cIndex);
    }

    /** Accuracy, or null when there were no test rows. */
    public Double accuracy() {
        return n == 0 ? null : (double) correct / n;
    }
}
