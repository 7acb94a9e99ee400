package org.fedehr.models;

import java.util.Arrays;

/**
 * Metrics for binary classifiers whose scores are probabilities of the positive class.
 *
 * <p>Labels must be exactly 0 or 1. Error messages name the offending index, never the value (the
 * inputs are patient-level data).
 */
public final class BinaryMetrics {

    /** Probabilities are clamped to {@code [EPSILON, 1 - EPSILON]} before taking logarithms. */
    public static final double EPSILON = 1e-7;

    private BinaryMetrics() {
    }

    /** Keys {@code (sortable score bits << 32) | index} in ascending score order, and the number of positive labels. */
    private record Ranked(long[] keys, long positives) {
    }

    /** Checks shapes, NaN scores and labels; sorts the examples by score (ties stay together, by index). */
    private static Ranked ranked(float[] scores, float[] labels) {
        checkShapes(scores, labels);
        long positives = 0;
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "] must not be NaN");
            }
            if (isPositive(labels, i)) {
                positives++;
            }
            keys[i] = ((long) sortableBits(scores[i]) << 32) | i;
        }
        Arrays.sort(keys);
        return new Ranked(keys, positives);
    }

    /**
     * Exact area under the ROC curve: the Mann–Whitney statistic, i.e. the probability that a random
     * positive scores higher than a random negative, with ties counted as 1/2. Runs in O(n log n).
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score is NaN, a label is not
     *                                  0 or 1, or the labels contain only one class (AUROC undefined)
     */
    public static double auroc(float[] scores, float[] labels) {
        Ranked r = ranked(scores, labels);
        int n = scores.length;
        long[] keys = r.keys();
        long positives = r.positives();
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("auroc needs both classes, got " + positives
                    + " positive(s) and " + negatives + " negative(s)");
        }
        // Sum of the (1-based, tie-averaged) ranks of the positives, doubled to stay integral.
        long twiceRankSum = 0;
        int start = 0;
        while (start < n) {
            int hi = (int) (keys[start] >> 32);
            int end = start + 1;
            while (end < n && (int) (keys[end] >> 32) == hi) {
                end++;
            }
            long twiceMeanRank = (long) start + 1 + end; // ranks start+1 .. end
            for (int k = start; k < end; k++) {
                if (labels[(int) keys[k]] == 1f) {
                    twiceRankSum += twiceMeanRank;
                }
            }
            start = end;
        }
        double u = twiceRankSum / 2.0 - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * Area under the precision-recall curve as average precision (scikit-learn's {@code average_precision_score}):
     * {@code Σ_k (R_k - R_{k-1}) P_k} over the distinct score thresholds in decreasing order, where {@code P_k} and
     * {@code R_k} are the precision and recall when every example scoring at least the k-th threshold is called
     * positive (tied scores enter together). Its chance level is the positive rate, not 0.5.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score is NaN, a label is not 0 or 1,
     *                                  or there is no positive example (AUPRC undefined)
     */
    public static double auprc(float[] scores, float[] labels) {
        Ranked r = ranked(scores, labels);
        int n = scores.length;
        long[] keys = r.keys(); // ascending: walk from the end (highest score) down
        long positives = r.positives();
        if (positives == 0) {
            throw new IllegalArgumentException("auprc needs at least one positive example, got 0");
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        double prevRecall = 0;
        int end = n;
        while (end > 0) {
            int hi = (int) (keys[end - 1] >> 32);
            int start = end - 1;
            while (start > 0 && (int) (keys[start - 1] >> 32) == hi) {
                start--;
            }
            for (int k = start; k < end; k++) {
                if (labels[(int) keys[k]] == 1f) {
                    tp++;
                } else {
                    fp++;
                }
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / (tp + fp);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
            end = start;
        }
        return ap;
    }

    /** Whether the labels contain at least one positive (so that {@link #auprc} is defined). */
    public static boolean hasPositive(float[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (isPositive(labels, i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Mean binary cross-entropy {@code -[y ln p + (1-y) ln(1-p)]}, with {@code p} clamped to
     * {@code [EPSILON, 1 - EPSILON]}.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length, a score is
     *                                  outside [0, 1] or NaN, or a label is not 0 or 1
     */
    public static double logLoss(float[] scores, float[] labels) {
        checkShapes(scores, labels);
        if (scores.length == 0) {
            throw new IllegalArgumentException("logLoss needs at least one example, got 0");
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (!(s >= 0f && s <= 1f)) {
                throw new IllegalArgumentException("scores[" + i + "] must be a probability in [0, 1]");
            }
            double p = Math.min(Math.max(s, EPSILON), 1 - EPSILON);
            sum -= isPositive(labels, i) ? Math.log(p) : Math.log1p(-p);
        }
        return sum / scores.length;
    }

    /**
     * Number of examples classified correctly when {@code score >= threshold} predicts the positive
     * class.
     *
     * @throws IllegalArgumentException if the arrays differ in length or a label is not 0 or 1
     */
    public static int correctAt(float[] scores, float[] labels, double threshold) {
        checkShapes(scores, labels);
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted == isPositive(labels, i)) {
                correct++;
            }
        }
        return correct;
    }

    /** Whether the labels contain both 0 and 1 (so that {@link #auroc} is defined). */
    public static boolean hasBothClasses(float[] labels) {
        boolean pos = false;
        boolean neg = false;
        for (int i = 0; i < labels.length; i++) {
            if (isPositive(labels, i)) {
                pos = true;
            } else {
                neg = true;
            }
        }
        return pos && neg;
    }

    private static boolean isPositive(float[] labels, int i) {
        float y = labels[i];
        if (y == 1f) {
            return true;
        }
        if (y == 0f) {
            return false;
        }
        throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1");
    }

    private static void checkShapes(float[] scores, float[] labels) {
        if (scores == null || labels == null) {
            throw new IllegalArgumentException("scores and labels must not be null");
        }
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores length " + scores.length
                    + " must equal labels length " + labels.length);
        }
    }

    /** Maps a float to an int whose signed order is the float's numeric order ({@code -0.0 == 0.0}). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
