package org.fedehr.protocol.msg;

/**
 * What a site does beyond plain local training, as the federation's strategy asks; travels in every TRAIN and
 * EVALUATE {@link TaskInstruction} (absent = plain training, e.g. FedAvg or a server optimiser).
 * <ul>
 *   <li>{@code FEDPROX} (Li et al. 2020): local SGD on F_i(w) + μ/2·‖w − w_global‖²; {@code mu} = μ.</li>
 *   <li>{@code SCAFFOLD} (Karimireddy et al. 2020): the global vector is the model x followed by the server control
 *       variate c (twice the model's parameters); local steps w ← w − lr·(∇F_i(w) − c_i + c); the site keeps its own
 *       c_i across rounds and replies with [Δy | Δc_i] (option II update of c_i).</li>
 *   <li>{@code DITTO} (Li et al. 2021): the site trains the global model as in FedAvg and, beside it, a personal model
 *       v_i on F_i(v) + λ/2·‖v − w_global‖² ({@code lambda} = λ) that never leaves the site; evaluation uses v_i.</li>
 * </ul>
 */
public record LocalAlgorithm(Kind kind, double mu, double lambda) {
    public enum Kind { FEDPROX, SCAFFOLD, DITTO }

    public LocalAlgorithm {
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (!(mu >= 0) || !Double.isFinite(mu)) throw new IllegalArgumentException("mu must be finite and >= 0, was " + mu);
        if (!(lambda >= 0) || !Double.isFinite(lambda))
            throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
        if (kind != Kind.FEDPROX && mu != 0) throw new IllegalArgumentException("mu applies to FEDPROX only, was " + mu + " for " + kind);
        if (kind != Kind.DITTO && lambda != 0)
            throw new IllegalArgumentException("lambda applies to DITTO only, was " + lambda + " for " + kind);
    }

    public static LocalAlgorithm fedProx(double mu) {
        return new LocalAlgorithm(Kind.FEDPROX, mu, 0);
    }

    public static LocalAlgorithm scaffold() {
        return new LocalAlgorithm(Kind.SCAFFOLD, 0, 0);
    }

    public static LocalAlgorithm ditto(double lambda) {
        return new LocalAlgorithm(Kind.DITTO, 0, lambda);
    }

    /**
     * Length of the global vector and of a site's update for a model of {@code modelParameters} parameters under
     * {@code algorithm} (null = plain): SCAFFOLD appends the control variate, the others send the model only.
     */
    public static int vectorLength(LocalAlgorithm algorithm, int modelParameters) {
        return algorithm != null && algorithm.kind == Kind.SCAFFOLD ? 2 * modelParameters : modelParameters;
    }
}
