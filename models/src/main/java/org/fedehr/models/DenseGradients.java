package org.fedehr.models;

import java.util.List;

/**
 * Exact per-row gradients of the networks {@link NetworkFactory} builds (dense relu/tanh hidden layers, one sigmoid
 * output unit, binary cross-entropy), computed in plain Java from the flat parameter vector: one forward and one
 * backward pass per row, in double precision, with no DL4J call. It gives the same values as a DL4J
 * {@code computeGradientAndScore} on a batch of one row (checked by {@code DpSgdTest}) at a small fraction of the
 * cost, because DL4J's fixed per-call overhead dominates tiny batches.
 *
 * <p>Flat layout (DL4J's): for each layer, W as an nIn x nOut matrix in column-major order ({@code W[i][j]} at
 * {@code offset + i + j * nIn}), then b (nOut). The gradient excludes the L2 penalty (as DL4J's, which applies
 * regularisation in the updater); the returned loss includes it ({@code 0.5 * l2 * ||W||²}) like DL4J's score.
 * Not thread-safe (scratch buffers); one per trainer.
 */
final class DenseGradients {

    /** DL4J's LossBinaryXENT clips the probability to [EPS, 1 - EPS]. */
    private static final double EPS = 1e-5;

    private final int[] sizes;
    private final int[] offsets;
    private final boolean tanh;
    private final double l2;
    private final double[][] a;
    private final double[][] delta;

    DenseGradients(ModelSpec spec) {
        List<Integer> s = spec.layerSizes();
        sizes = s.stream().mapToInt(Integer::intValue).toArray();
        offsets = new int[sizes.length - 1];
        int at = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            offsets[l] = at;
            at += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        tanh = "tanh".equals(spec.activation());
        l2 = spec.l2();
        a = new double[sizes.length][];
        delta = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            a[l] = new double[sizes[l]];
            delta[l] = new double[sizes[l]];
        }
    }

    /** Writes the gradient of row {@code (x, y)}'s loss at {@code params} into {@code grad}; returns the loss. */
    double gradient(float[] params, float[] x, float y, double[] grad) {
        int layers = sizes.length - 1;
        for (int i = 0; i < sizes[0]; i++) {
            a[0][i] = x[i];
        }
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = offsets[l];
            int b = w + nIn * nOut;
            double[] in = a[l];
            double[] out = a[l + 1];
            boolean output = l == layers - 1;
            for (int j = 0; j < nOut; j++) {
                double z = params[b + j];
                int col = w + j * nIn;
                for (int i = 0; i < nIn; i++) {
                    z += in[i] * params[col + i];
                }
                out[j] = output ? 1 / (1 + Math.exp(-z)) : tanh ? Math.tanh(z) : Math.max(0, z);
            }
        }
        double p = a[layers][0];
        double pc = Math.min(1 - EPS, Math.max(EPS, p));
        double loss = -(y * Math.log(pc) + (1 - y) * Math.log(1 - pc));
        delta[layers][0] = p - y; // d loss / d z for sigmoid + cross-entropy
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            int w = offsets[l];
            int b = w + nIn * nOut;
            double[] in = a[l];
            double[] d = delta[l + 1];
            for (int j = 0; j < nOut; j++) {
                int col = w + j * nIn;
                double dj = d[j];
                for (int i = 0; i < nIn; i++) {
                    grad[col + i] = in[i] * dj;
                }
                grad[b + j] = dj;
            }
            if (l > 0) {
                double[] prev = delta[l];
                for (int i = 0; i < nIn; i++) {
                    double s = 0;
                    for (int j = 0; j < nOut; j++) {
                        s += params[w + j * nIn + i] * d[j];
                    }
                    double act = in[i];
                    prev[i] = s * (tanh ? 1 - act * act : (act > 0 ? 1 : 0));
                }
            }
        }
        if (l2 > 0) {
            double sq = 0;
            for (int l = 0; l < layers; l++) {
                int w = offsets[l];
                for (int k = 0; k < sizes[l] * sizes[l + 1]; k++) {
                    sq += (double) params[w + k] * params[w + k];
                }
            }
            loss += 0.5 * l2 * sq;
        }
        return loss;
    }
}
