package org.fedehr.models;

/**
 * Metrics for multi-class classifiers whose outputs are class probabilities ({@code probs[i][k]} for example
 * {@code i} and class {@code k}); labels are class indices stored as floats ({@code 0, 1, …, k-1}).
 *
 * <p>Error messages name the offending index, never the value (the inputs are patient-level data).
 */
public final class MultiClassMetrics {

    private MultiClassMetrics() {
    }

    /** Number of examples whose most probable class (the first one on ties) equals the label. */
    public static int correct(float[][] probs, float[] labels, int classes) {
        check(probs, labels, classes);
        int correct = 0;
        for (int i = 0; i < probs.length; i++) {
            if (argmax(probs[i]) == (int) labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Mean of {@code -ln p[label]}, with p clamped to {@code [EPSILON, 1]}. */
    public static double logLoss(float[][] probs, float[] labels, int classes) {
        check(probs, labels, classes);
        if (probs.length == 0) {
            throw new IllegalArgumentException("logLoss needs at least one example, got 0");
        }
        double sum = 0;
        for (int i = 0; i < probs.length; i++) {
            float p = probs[i][(int) labels[i]];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("probs[" + i + "] must hold probabilities in [0, 1]");
            }
            sum -= Math.log(Math.max(p, BinaryMetrics.EPSILON));
        }
        return sum / probs.length;
    }

    /**
     * Macro-averaged one-vs-rest AUROC: for each class present both as a label and as a non-label, the AUROC of
     * that class's probability for "label == class", averaged with equal weight over those classes. Null when no
     * class qualifies (fewer than two classes present).
     */
    public static Double macroAuroc(float[][] probs, float[] labels, int classes) {
        check(probs, labels, classes);
        int n = probs.length;
        double sum = 0;
        int used = 0;
        float[] scores = new float[n];
        float[] binary = new float[n];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < n; i++) {
                scores[i] = probs[i][k];
                binary[i] = (int) labels[i] == k ? 1f : 0f;
            }
            if (BinaryMetrics.hasBothClasses(binary)) {
                sum += BinaryMetrics.auroc(scores, binary);
                used++;
            }
        }
        return used == 0 ? null : sum / used;
    }

    /** Index of the largest value (the first one on ties). */
    public static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Checks that {@code label} is a class index in {@code [0, classes)}; names the index, not the value. */
    static void checkLabel(float label, int i, int classes, String name) {
        if (!(label >= 0 && label < classes && label == Math.rint(label))) {
            throw new IllegalArgumentException(name + "[" + i + "] must be a class index in [0, " + classes + ")");
        }
    }

    private static void check(float[][] probs, float[] labels, int classes) {
        if (probs == null || labels == null) {
            throw new IllegalArgumentException("probs and labels must not be null");
        }
        if (probs.length != labels.length) {
            throw new IllegalArgumentException("probs length " + probs.length + " must equal labels length "
                    + labels.length);
        }
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] == null || probs[i].length != classes) {
                throw new IllegalArgumentException("probs[" + i + "] must have " + classes + " values");
            }
            checkLabel(labels[i], i, classes, "labels");
        }
    }
}
