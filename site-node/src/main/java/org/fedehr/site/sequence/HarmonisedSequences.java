package org.fedehr.site.sequence;

import org.fedehr.models.SequenceData;

/**
 * A site's stays harmonised with the federation's statistics, in two representations of the same stays in the same
 * order: the resampled sequences (with statics) for a recurrent model, and one per-window summary row per stay for an
 * MLP. Patient-level: never leaves the site.
 *
 * @param layout       the federation-wide shape
 * @param train        training stays as sequences
 * @param test         test stays as sequences
 * @param summaryTrain one summary row per training stay ({@code layout.summaries()} values)
 * @param summaryTest  one summary row per test stay
 */
public record HarmonisedSequences(SequenceSite.Layout layout, SequenceData train, SequenceData test,
                                  float[][] summaryTrain, float[][] summaryTest) {
    public HarmonisedSequences {
        if (layout == null || train == null || test == null || summaryTrain == null || summaryTest == null)
            throw new IllegalArgumentException("layout, sequences and summaries must not be null");
        if (summaryTrain.length != train.size() || summaryTest.length != test.size())
            throw new IllegalArgumentException("summaries (" + summaryTrain.length + " train, " + summaryTest.length
                    + " test) must match the stays (" + train.size() + " train, " + test.size() + " test)");
        check(train, layout, "train");
        check(test, layout, "test");
        for (float[][] rows : new float[][][] {summaryTrain, summaryTest}) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == null || rows[i].length != layout.summaries())
                    throw new IllegalArgumentException("summary row " + i + " must have " + layout.summaries() + " values");
            }
        }
    }

    private static void check(SequenceData d, SequenceSite.Layout layout, String split) {
        if (d.size() == 0) return;
        if (d.channels() != layout.channels() || d.staticCount() != layout.statics() || d.steps() != layout.steps())
            throw new IllegalArgumentException(split + " stays have " + d.steps() + " steps x " + d.channels() + " channels and "
                    + d.staticCount() + " statics, layout says " + layout);
    }
}
