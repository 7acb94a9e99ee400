package org.fedehr.models;

import java.util.Map;
import java.util.Set;

/**
 * Differentially private SGD (Abadi et al. 2016) for one site's local training, at patient (row) level.
 *
 * <p>Each step samples a batch, computes the gradient of every sampled row separately, clips each to
 * L2 norm at most {@code clipNorm}, sums them, adds Gaussian noise with standard deviation
 * {@code noiseMultiplier * clipNorm} to every coordinate (from {@link java.security.SecureRandom}),
 * divides by the expected batch size and takes a plain SGD step. The batch size, learning rate and
 * number of steps or epochs come from the {@link TrainingSettings} of the round; the optimiser must be
 * {@code sgd}.
 *
 * <p>Sampling:
 * <ul>
 *   <li>{@code poisson}: every step keeps each row independently with probability
 *       {@code q = min(1, batchSize / n)}; batch sizes vary (and may be 0), the sum is divided by
 *       {@code q * n}. This is the sampled Gaussian mechanism that the RDP accountant analyses.</li>
 *   <li>{@code shuffle}: fixed-size batches from a shuffled pass, as in non-private training, the sum divided
 *       by the batch size. Common in practice, but NOT what the accountant's amplification by
 *       sampling assumes: charge such a run as if {@code q = 1} or accept the gap knowingly.</li>
 * </ul>
 *
 * @param clipNorm        C, finite and {@code > 0}
 * @param noiseMultiplier σ, finite and {@code >= 0} (0 only for tests and measurements: no privacy)
 * @param sampling        {@code "poisson"} or {@code "shuffle"}
 */
public record DpSgdSettings(double clipNorm, double noiseMultiplier, String sampling) {

    /** Poisson sampling with rate q per row and step (the accountant's assumption). */
    public static final String POISSON = "poisson";
    /** Shuffled fixed-size batches (not covered by amplification by sampling). */
    public static final String SHUFFLE = "shuffle";

    private static final Set<String> KEYS = Set.of("clipNorm", "noiseMultiplier", "sampling");

    /** Validates every field; messages name the field and the rejected value. */
    public DpSgdSettings {
        if (!Double.isFinite(clipNorm) || clipNorm <= 0) {
            throw new IllegalArgumentException("clipNorm must be finite and > 0, got " + clipNorm);
        }
        if (!Double.isFinite(noiseMultiplier) || noiseMultiplier < 0) {
            throw new IllegalArgumentException("noiseMultiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        if (!POISSON.equals(sampling) && !SHUFFLE.equals(sampling)) {
            throw new IllegalArgumentException("sampling must be one of [poisson, shuffle], got "
                    + (sampling == null ? "null" : "\"" + sampling + "\""));
        }
    }

    /** Poisson sampling with clip norm C and noise multiplier σ. */
    public static DpSgdSettings poisson(double clipNorm, double noiseMultiplier) {
        return new DpSgdSettings(clipNorm, noiseMultiplier, POISSON);
    }

    /** The same settings with another noise multiplier (for example one calibrated to a budget). */
    public DpSgdSettings withNoiseMultiplier(double sigma) {
        return new DpSgdSettings(clipNorm, sigma, sampling);
    }

    /**
     * Reads settings from a map with keys {@code clipNorm} (required), {@code noiseMultiplier} (required)
     * and {@code sampling} (default {@code poisson}). Unknown keys are rejected.
     */
    public static DpSgdSettings fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new IllegalArgumentException("dp settings map must not be null");
        }
        MapValues.requireKnownKeys(m, KEYS, "dp settings");
        for (String required : new String[] {"clipNorm", "noiseMultiplier"}) {
            if (m.get(required) == null) {
                throw new IllegalArgumentException("dp settings: " + required + " is required");
            }
        }
        return new DpSgdSettings(
                MapValues.real(m, "clipNorm", Double.NaN),
                MapValues.real(m, "noiseMultiplier", Double.NaN),
                MapValues.string(m, "sampling", POISSON));
    }

    /**
     * The per-step sampling rate for {@code n} rows and the given batch size: {@code min(1, batchSize / n)}
     * under Poisson sampling; under shuffling the fraction of rows in a full batch, reported for information.
     */
    public static double samplingRate(int batchSize, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return Math.min(1.0, (double) batchSize / n);
    }
}
