package org.fedehr.models;

import java.util.Arrays;

/**
 * Outcome of evaluating a model on one site's data.
 *
 * <p>"Not available" is represented without NaN: with no examples, {@code n == 0}, {@code loss == 0},
 * {@link #accuracy()} and {@code auroc} are {@code null}; with examples of only one class
 * {@code auroc} is {@code null}.
 *
 * @param n       number of examples evaluated
 * @param correct examples classified correctly at threshold 0.5 (score {@code >= 0.5} means positive)
 * @param loss    mean binary cross-entropy (log-loss) over the examples; 0 when {@code n == 0}
 * @param auroc   area under the ROC curve, or {@code null} when {@code n == 0} or single-class
 * @param scores  predicted probabilities, one per example in input order, or {@code null} when not
 *                retained; a patient-level quantity that must not leave the site (a survival model's risk scores)
 * @param cIndex  for a survival model, the concordance index, or {@code null} when no pair is comparable; always
 *                {@code null} for a binary classifier. A survival model's {@code loss} is the mean negative partial
 *                log-likelihood over the rows, {@code correct} is 0 and {@code auroc} null.
 */
public record EvalResult(int n, int correct, double loss, Double auroc, float[] scores, Double cIndex) {

    /** The evaluation of a binary classifier (no concordance index). */
    public EvalResult(int n, int correct, double loss, Double auroc, float[] scores) {
        this(n, correct, loss, auroc, scores, null);
    }

    /** Validates the invariants between the fields. */
    public EvalResult {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (correct < 0 || correct > n) {
            throw new IllegalArgumentException("correct must be in [0, " + n + "], got " + correct);
        }
        if (!Double.isFinite(loss) || loss < 0) {
            throw new IllegalArgumentException("loss must be finite and >= 0, got " + loss);
        }
        if (n == 0 && (loss != 0 || auroc != null)) {
            throw new IllegalArgumentException("with n 0, loss must be 0 and auroc null (use noData())");
        }
        if (auroc != null && !(auroc >= 0 && auroc <= 1)) {
            throw new IllegalArgumentException("auroc must be in [0, 1] or null, got " + auroc);
        }
        if (cIndex != null && !(cIndex >= 0 && cIndex <= 1)) {
            throw new IllegalArgumentException("cIndex must be in [0, 1] or null, got " + cIndex);
        }
        if (scores != null && scores.length != n) {
            throw new IllegalArgumentException("scores length must equal n " + n + ", got " + scores.length);
        }
    }

    /** The evaluation of an empty dataset: every metric "n/a". */
    public static EvalResult noData() {
        return new EvalResult(0, 0, 0.0, null, new float[0]);
    }

    /** Fraction classified correctly, or {@code null} when {@code n == 0} (never NaN). */
    public Double accuracy() {
        return n == 0 ? null : (double) correct / n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvalResult r
                && n == r.n
                && correct == r.correct
                && Double.compare(loss, r.loss) == 0
                && java.util.Objects.equals(auroc, r.auroc)
                && java.util.Objects.equals(cIndex, r.cIndex)
                && Arrays.equals(scores, r.scores);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(scores);
        h = 31 * h + n;
        h = 31 * h + correct;
        h = 31 * h + Double.hashCode(loss);
        h = 31 * h + java.util.Objects.hashCode(cIndex);
        return 31 * h + java.util.Objects.hashCode(auroc);
    }

    /** Summary without the per-example scores. */
    @Override
    public String toString() {
        return "EvalResult[n=" + n + ", correct=" + correct + ", loss=" + loss + ", auroc=" + auroc
                + (cIndex == null ? "" : ", cIndex=" + cIndex)
                + ", scores=" + (scores == null ? "null" : "float[" + scores.length + "]") + "]";
    }
}
