package org.fedehr.models;

/**
 * One site's examples for a sequence model: per example a regular-interval sequence {@code x[i][t][c]}
 * ({@code steps} time steps of {@code channels} values), its number of valid leading steps, its static features
 * and its label.
 *
 * <p>Steps at and after {@code lengths[i]} are padding: they are masked (DL4J feature mask) and can hold any
 * finite value without changing a prediction. Arrays are referenced, not copied: treat them as read-only.
 * Error messages name indices and sizes, never data values.
 *
 * @param x        {@code [n][steps][channels]}, all finite; every example has the same steps and channels
 * @param lengths  valid steps per example, each in {@code [1, steps]}
 * @param statics  {@code [n][staticCount]} (use rows of length 0 when there are none), all finite
 * @param y        labels: 0 or 1 for a binary task, a class index {@code 0..k-1} for a multi-class one
 */
public record SequenceData(float[][][] x, int[] lengths, float[][] statics, float[] y) {

    /** Validates shapes and finiteness; messages name the index. */
    public SequenceData {
        if (x == null || lengths == null || statics == null || y == null) {
            throw new IllegalArgumentException("x, lengths, statics and y must not be null");
        }
        int n = x.length;
        if (lengths.length != n || statics.length != n || y.length != n) {
            throw new IllegalArgumentException("x has " + n + " examples but lengths has " + lengths.length
                    + ", statics " + statics.length + " and y " + y.length);
        }
        int steps = n == 0 ? 0 : rows(x[0], 0).length;
        int channels = n == 0 || steps == 0 ? 0 : width(x[0][0], 0, 0);
        int staticCount = n == 0 ? 0 : width(statics[0], 0, -1);
        for (int i = 0; i < n; i++) {
            float[][] seq = rows(x[i], i);
            if (seq.length != steps) {
                throw new IllegalArgumentException("x[" + i + "] has " + seq.length + " steps, x[0] has " + steps);
            }
            for (int t = 0; t < steps; t++) {
                float[] v = seq[t];
                if (width(v, i, t) != channels) {
                    throw new IllegalArgumentException("x[" + i + "][" + t + "] has " + v.length + " channels, expected "
                            + channels);
                }
                for (int c = 0; c < channels; c++) {
                    if (!Float.isFinite(v[c])) {
                        throw new IllegalArgumentException("x[" + i + "][" + t + "][" + c + "] is not finite");
                    }
                }
            }
            if (lengths[i] < 1 || lengths[i] > steps) {
                throw new IllegalArgumentException("lengths[" + i + "] must be in [1, " + steps + "], got " + lengths[i]);
            }
            if (width(statics[i], i, -1) != staticCount) {
                throw new IllegalArgumentException("statics[" + i + "] has " + statics[i].length + " values, expected "
                        + staticCount);
            }
            for (int s = 0; s < staticCount; s++) {
                if (!Float.isFinite(statics[i][s])) {
                    throw new IllegalArgumentException("statics[" + i + "][" + s + "] is not finite");
                }
            }
        }
    }

    /** An empty dataset (a site with no rows). */
    public static SequenceData empty() {
        return new SequenceData(new float[0][][], new int[0], new float[0][], new float[0]);
    }

    /** Number of examples. */
    public int size() {
        return x.length;
    }

    /** Time steps per example (0 when empty). */
    public int steps() {
        return x.length == 0 ? 0 : x[0].length;
    }

    /** Values per time step (0 when empty). */
    public int channels() {
        return x.length == 0 || x[0].length == 0 ? 0 : x[0][0].length;
    }

    /** Static features per example (0 when empty or none). */
    public int staticCount() {
        return statics.length == 0 ? 0 : statics[0].length;
    }

    /** The examples at {@code indices}, in that order (arrays shared, not copied). */
    public SequenceData subset(int[] indices) {
        float[][][] sx = new float[indices.length][][];
        int[] sl = new int[indices.length];
        float[][] ss = new float[indices.length][];
        float[] sy = new float[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            sx[k] = x[i];
            sl[k] = lengths[i];
            ss[k] = statics[i];
            sy[k] = y[i];
        }
        return new SequenceData(sx, sl, ss, sy);
    }

    private static float[][] rows(float[][] seq, int i) {
        if (seq == null) {
            throw new IllegalArgumentException("x[" + i + "] must not be null");
        }
        return seq;
    }

    private static int width(float[] v, int i, int t) {
        if (v == null) {
            throw new IllegalArgumentException((t < 0 ? "statics[" + i + "]" : "x[" + i + "][" + t + "]")
                    + " must not be null");
        }
        return v.length;
    }

    @Override
    public String toString() {
        return "SequenceData[n=" + size() + ", steps=" + steps() + ", channels=" + channels() + ", statics="
                + staticCount() + "]";
    }
}
