package org.fedehr.models;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Builds the DL4J network described by a {@link ModelSpec}: dense hidden layers (He initialisation
 * for relu, Xavier for tanh) — or, for kind lstm, LSTM layers (Xavier, the last one wrapped in
 * {@link LastTimeStep} so that each sequence contributes its output at its last unmasked step) — and
 * one sigmoid output unit with binary cross-entropy (XENT), or for {@code classes > 2} a softmax output
 * with multi-class cross-entropy (MCXENT), all in FLOAT precision; for a {@code cox} spec, one identity output
 * without bias trained with {@link CoxLoss}. The updater configured here is a placeholder; {@link LocalTrainer} installs the
 * one named by the {@link TrainingSettings} of each round.
 */
final class NetworkFactory {

    /**
     * Seed 0 is never passed to DL4J, which can treat 0 as "no seed" (initialisation from the clock);
     * a requested seed of 0 is replaced by this fixed, non-zero value instead.
     */
    static final long SEED_FOR_ZERO = 0x5DEECE66DL;

    private NetworkFactory() {
    }

    /** The seed actually passed to DL4J for a requested seed: {@code seed}, or {@link #SEED_FOR_ZERO} for 0. */
    static long effectiveSeed(long seed) {
        return seed == 0 ? SEED_FOR_ZERO : seed;
    }

    /** Builds and initialises a new network; its parameters are a function of {@code (spec, seed)} only. */
    static MultiLayerNetwork build(ModelSpec spec, long seed) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(effectiveSeed(seed))
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01));
        if (spec.l2() > 0) {
            base.l2(spec.l2());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        if (spec.survival()) {
            // linear Cox model: one identity output without bias (the partial likelihood does not depend on a bias)
            list.layer(0, new OutputLayer.Builder(new CoxLoss())
                    .nIn(spec.inputs()).nOut(1).hasBias(false)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
                    .build());
            return init(list.build(), spec);
        }
        Activation act = "tanh".equals(spec.activation()) ? Activation.TANH : Activation.RELU;
        WeightInit hiddenInit = act == Activation.RELU ? WeightInit.RELU : WeightInit.XAVIER;
        List<Integer> sizes = spec.layerSizes();
        int layer = 0;
        for (; layer < sizes.size() - 2; layer++) {
            if (spec.isSequence()) {
                LSTM lstm = new LSTM.Builder()
                        .nIn(sizes.get(layer)).nOut(sizes.get(layer + 1))
                        .activation(act).weightInit(WeightInit.XAVIER)
                        .build();
                boolean last = layer == sizes.size() - 3;
                list.layer(layer, last ? new LastTimeStep(lstm) : lstm);
            } else {
                list.layer(layer, new DenseLayer.Builder()
                        .nIn(sizes.get(layer)).nOut(sizes.get(layer + 1))
                        .activation(act).weightInit(hiddenInit)
                        .build());
            }
        }
        boolean binary = spec.classes() == ModelSpec.BINARY;
        list.layer(layer, new OutputLayer.Builder(binary ? LossFunction.XENT : LossFunction.MCXENT)
                .nIn(sizes.get(layer)).nOut(spec.outputs())
                .activation(binary ? Activation.SIGMOID : Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                .build());
        return init(list.build(), spec);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf, ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (net.numParams() != spec.parameterCount()) {
            throw new IllegalStateException("network has " + net.numParams()
                    + " parameters but the spec says " + spec.parameterCount());
        }
        return net;
    }
}
