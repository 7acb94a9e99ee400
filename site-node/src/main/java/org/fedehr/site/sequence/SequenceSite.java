package org.fedehr.site.sequence;

import java.util.Set;
import org.fedehr.protocol.stats.FeatureStatistics;

/**
 * A site's longitudinal data as its node sees it: stays resampled onto a regular grid, split into training and test
 * stays. The node asks for the local statistics of the training stays (aggregates only: they are what leaves the
 * site in the statistics phase), then for both splits harmonised with the federation's merged statistics, so every
 * site standardises with the same global means and standard deviations and produces the same {@link Layout}.
 *
 * <p>Implementations read their stays lazily: {@link #trainSize()} and {@link #testSize()} may be checked by the
 * site's policy before any record is harmonised.
 */
public interface SequenceSite {

    /** Number of training stays. */
    int trainSize();

    /** Number of test stays. */
    int testSize();

    /** The site's contribution to the federated statistics, over its training stays only. */
    FeatureStatistics statistics();

    /** Names of every statistic {@link #statistics()} may carry (the site's egress guard admits only these). */
    Set<String> statisticNames();

    /** How many values one stay may contribute to the named statistic (1 for a static; up to the bins for a series). */
    default int valuesPerStay(String statistic) {
        return 1;
    }

    /** Both splits harmonised with the merged statistics (the same layout at every site for the same statistics). */
    HarmonisedSequences harmonise(FeatureStatistics merged);

    /**
     * The federation-wide shape of harmonised stays, a function of the merged statistics alone (the coordinator side
     * of a simulation uses it to size the initial model without reading any site's data).
     *
     * @param channels  values per time step of the sequence
     * @param statics   static features per stay
     * @param summaries width of the per-window summary vector (summaries and statics) for an MLP
     * @param steps     time steps (bins) per stay
     */
    record Layout(int channels, int statics, int summaries, int steps) {
        public Layout {
            if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
            if (statics < 0) throw new IllegalArgumentException("statics must be >= 0, got " + statics);
            if (summaries < 1) throw new IllegalArgumentException("summaries must be >= 1, got " + summaries);
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }
}
