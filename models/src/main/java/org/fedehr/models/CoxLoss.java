package org.fedehr.models;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J loss for a Cox proportional-hazards model: the negative Breslow partial log-likelihood of the minibatch
 * ({@link CoxPartialLikelihood}), with the risk sets formed within the minibatch, as FLamby does for Fed-TCGA-BRCA.
 *
 * <p>Labels have two columns per row: the survival time (>= 0) and the event indicator (1 = event observed,
 * 0 = censored). The network's output has one column, the risk score (identity activation). A row whose mask is 0 is
 * left out of the risk sets and of the mean. Per DL4J's convention {@link #computeGradient} is the gradient of the
 * sum of the rows' terms (DL4J divides by the minibatch size), and {@link #computeScore} with {@code average} is
 * their mean over the minibatch — censored rows count in the mean, as in FLamby.
 */
public final class CoxLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        INDArray terms = computeScoreArray(labels, preOutput, activationFn, mask);
        double sum = terms.sumNumber().doubleValue();
        return average ? sum / terms.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        double[] terms = CoxPartialLikelihood.terms(b.s, b.t, b.e);
        return column(b.scatter(terms), preOutput);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        double[] dOut = b.scatter(CoxPartialLikelihood.gradientOfSum(b.s, b.t, b.e));
        INDArray dLdOut = column(dOut, preOutput);
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "CoxLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoxLoss;
    }

    @Override
    public int hashCode() {
        return CoxLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "CoxLoss()";
    }

    /** The unmasked rows' scores, times and events, and where they sit in the minibatch. */
    private record Batch(double[] s, double[] t, double[] e, int[] rows, int size) {
        double[] scatter(double[] values) {
            double[] out = new double[size];
            for (int k = 0; k < rows.length; k++) {
                out[rows[k]] = values[k];
            }
            return out;
        }
    }

    private static Batch batch(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (preOutput.rank() != 2 || preOutput.size(1) != 1) {
            throw new IllegalArgumentException("Cox loss needs one output column, got shape "
                    + java.util.Arrays.toString(preOutput.shape()));
        }
        if (labels.rank() != 2 || labels.size(1) != 2 || labels.size(0) != preOutput.size(0)) {
            throw new IllegalArgumentException("Cox loss needs labels of shape [" + preOutput.size(0)
                    + ", 2] (time, event), got " + java.util.Arrays.toString(labels.shape()));
        }
        int n = (int) preOutput.size(0);
        double[] out = activationFn.getActivation(preOutput.dup(), false).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c')
                .data().asDouble();
        double[] lab = labels.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] m = mask == null ? null : mask.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (m == null || m[i] != 0.0) {
                kept++;
            }
        }
        double[] s = new double[kept];
        double[] t = new double[kept];
        double[] e = new double[kept];
        int[] rows = new int[kept];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (m != null && m[i] == 0.0) {
                continue;
            }
            s[k] = out[i];
            t[k] = lab[2 * i];
            e[k] = lab[2 * i + 1];
            rows[k] = i;
            k++;
        }
        return new Batch(s, t, e, rows, n);
    }

    private static INDArray column(double[] values, INDArray like) {
        return Nd4j.create(values, new long[] {values.length, 1}, 'c').castTo(like.dataType());
    }
}
