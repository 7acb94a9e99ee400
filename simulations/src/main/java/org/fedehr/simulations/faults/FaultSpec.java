package org.fedehr.simulations.faults;

import java.util.List;
import java.util.Locale;

/**
 * The faults a scenario injects ({@code faults:}), all seeded. See {@link FaultPlan} for what each does to a site.
 *
 * <pre>
 * faults:
 *   seed: 7                                          # default: the run's seed
 *   dropout: {probability: 0.2, sites: [...], from_round: 1}
 *   stragglers: {distribution: exponential, mean_seconds: 3, sites: [...], rounds: [...], probability: 1.0}
 *              # uniform: min_seconds, max_seconds; lognormal: mean_seconds, sigma; fixed: mean_seconds
 *   crash: [{site: X, at_round: 3, rejoin_round: 6}]  # rejoin_round omitted: never rejoins
 *   partition: [{site: Y, from_round: 2, rounds: 3}]
 *   misbehaving: [{site: Z, mode: sign_flip|scale|random, factor: 10, from_round: 1}]
 *   errors: [{site: B, rounds: [2, 3]}]              # the site's trainer throws (case C02)
 *   duplicates: [{site: A, rounds: [3]}]             # the site sends its TRAIN reply twice (case C12)
 * </pre>
 *
 * @param seed null: the run's seed
 */
public record FaultSpec(Long seed, Dropout dropout, Stragglers stragglers, List<Crash> crashes, List<NetworkPartition> partitions,
                        List<Misbehaving> misbehaving, List<SiteRounds> errors, List<SiteRounds> duplicates) {
    public FaultSpec {
        crashes = List.copyOf(crashes);
        partitions = List.copyOf(partitions);
        misbehaving = List.copyOf(misbehaving);
        errors = List.copyOf(errors);
        duplicates = List.copyOf(duplicates);
        if (seed != null && seed == 0) throw new IllegalArgumentException("seed must not be 0, was 0");
    }

    /** Each selected site independently loses its connection in a round with this probability (empty sites: all). */
    public record Dropout(double probability, List<String> sites, int fromRound) {
        public Dropout {
            if (!(probability >= 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
            if (fromRound < 1) throw new IllegalArgumentException("from_round must be >= 1, was " + fromRound);
            sites = List.copyOf(sites);
        }
    }

    public enum Distribution {
        EXPONENTIAL, UNIFORM, LOGNORMAL, FIXED;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Delays before a site's TRAIN reply leaves, drawn per site and round: exponential(mean), uniform(min, max),
     * lognormal with the given mean and log-sd sigma, or fixed (= mean). A site is a straggler in a round with
     * {@code probability}; empty sites: all; empty rounds: every round.
     */
    public record Stragglers(Distribution distribution, double meanSeconds, double minSeconds, double maxSeconds, double sigma,
                             double probability, List<String> sites, List<Integer> rounds) {
        public Stragglers {
            if (distribution == null) throw new IllegalArgumentException("distribution must not be null");
            if (!(probability >= 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
            switch (distribution) {
                case UNIFORM -> {
                    if (!(minSeconds >= 0 && maxSeconds >= minSeconds))
                        throw new IllegalArgumentException("uniform needs 0 <= min_seconds <= max_seconds, was " + minSeconds + ", " + maxSeconds);
                }
                case LOGNORMAL -> {
                    if (!(meanSeconds > 0)) throw new IllegalArgumentException("mean_seconds must be > 0, was " + meanSeconds);
                    if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must be >= 0, was " + sigma);
                }
                default -> {
                    if (!(meanSeconds >= 0)) throw new IllegalArgumentException("mean_seconds must be >= 0, was " + meanSeconds);
                }
            }
            sites = List.copyOf(sites);
            rounds = List.copyOf(rounds);
        }
    }

    /** The site's connection is cut after it downloads round {@code atRound}'s model; it is down until {@code rejoinRound} (0: never). */
    public record Crash(String site, int atRound, int rejoinRound) {
        public Crash {
            requireSite(site);
            if (atRound < 1) throw new IllegalArgumentException("at_round must be >= 1, was " + atRound);
            if (rejoinRound != 0 && rejoinRound <= atRound)
                throw new IllegalArgumentException("rejoin_round must be after at_round " + atRound + ", was " + rejoinRound);
        }
    }

    /** The site cannot reach the coordinator (transport errors) in rounds {@code fromRound} .. {@code fromRound + rounds - 1}. */
    public record NetworkPartition(String site, int fromRound, int rounds) {
        /** Each partitioned round costs the site about two failed polls; its node gives up after 20 in a row. */
        public static final int MAX_ROUNDS = 8;

        public NetworkPartition {
            requireSite(site);
            if (fromRound < 1) throw new IllegalArgumentException("from_round must be >= 1, was " + fromRound);
            if (rounds < 1 || rounds > MAX_ROUNDS)
                throw new IllegalArgumentException("rounds must be in 1.." + MAX_ROUNDS + " (a site node stops after 20 failed polls in a row), was " + rounds);
        }

        public boolean covers(int round) {
            return round >= fromRound && round < fromRound + rounds;
        }
    }

    public enum Mode {
        SIGN_FLIP, SCALE, RANDOM;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * From {@code fromRound} on the site sends, instead of its trained delta Δ: sign_flip −factor·Δ (factor 1: exactly
     * −Δ); scale factor·Δ; random independent N(0, factor²) values (seeded per site and round).
     */
    public record Misbehaving(String site, Mode mode, double factor, int fromRound) {
        public Misbehaving {
            requireSite(site);
            if (mode == null) throw new IllegalArgumentException("mode must not be null");
            if (!Double.isFinite(factor)) throw new IllegalArgumentException("factor must be finite, was " + factor);
            if (mode != Mode.SCALE && !(factor > 0)) throw new IllegalArgumentException("factor must be > 0 for " + mode.yamlName() + ", was " + factor);
            if (fromRound < 1) throw new IllegalArgumentException("from_round must be >= 1, was " + fromRound);
        }
    }

    /** A site and the rounds a fault applies to. */
    public record SiteRounds(String site, List<Integer> rounds) {
        public SiteRounds {
            requireSite(site);
            rounds = List.copyOf(rounds);
            if (rounds.isEmpty()) throw new IllegalArgumentException("rounds must not be empty");
            for (int r : rounds) if (r < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + r);
        }
    }

    private static void requireSite(String site) {
        if (site == null || site.isBlank()) throw new IllegalArgumentException("site must not be blank, was '" + site + "'");
    }
}
