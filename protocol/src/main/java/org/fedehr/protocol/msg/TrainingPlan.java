package org.fedehr.protocol.msg;

/** Local training settings sent with a TRAIN instruction. Exactly one of epochs and steps is positive. */
public record TrainingPlan(int epochs, int steps, int batchSize, String optimizer, double learningRate) {
    public TrainingPlan {
        if ((epochs > 0) == (steps > 0))
            throw new IllegalArgumentException("exactly one of epochs and steps must be > 0, was epochs=" + epochs + ", steps=" + steps);
        if (epochs < 0 || steps < 0) throw new IllegalArgumentException("epochs and steps must be >= 0");
        if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        if (!"sgd".equals(optimizer) && !"adam".equals(optimizer))
            throw new IllegalArgumentException("optimizer must be sgd or adam, was " + optimizer);
        if (!(learningRate > 0) || !Double.isFinite(learningRate))
            throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
    }
}
