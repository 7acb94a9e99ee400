package org.fedehr.site.sequence;

import java.nio.file.Path;
import java.util.Set;
import org.fedehr.models.SequenceData;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.events.ChannelLayout;
import org.fedehr.site.events.EventDictionary;
import org.fedehr.site.events.EventSiteData;
import org.fedehr.site.events.FittedEventHarmonizer;
import org.fedehr.site.events.SequenceDataset;

/**
 * A {@link SequenceSite} over an event site config ({@code org.fedehr.site.events}: configuration-driven sources, UCUM
 * units, plausible ranges, the federation's dictionary and resampler). Every stay covers the whole window (the
 * resampler's grid), so every step is valid for the model; the layout is the dictionary's {@link ChannelLayout}.
 */
public final class EventSequenceSite implements SequenceSite {
    private final EventSiteData data;

    public EventSequenceSite(EventSiteData data) {
        if (data == null) throw new IllegalArgumentException("event site data must not be null");
        this.data = data;
    }

    /** Loads the site config and splits its stays (seeded, stratified by label). */
    public static EventSequenceSite load(Path config, Path dataRoot, double testFraction, long seed) {
        return new EventSequenceSite(EventSiteData.load(config, dataRoot, testFraction, seed));
    }

    public String siteId() {
        return data.config().siteId();
    }

    public EventDictionary dictionary() {
        return data.dictionary();
    }

    @Override
    public int trainSize() {
        return data.trainSize();
    }

    @Override
    public int testSize() {
        return data.testSize();
    }

    @Override
    public FeatureStatistics statistics() {
        return data.statistics();
    }

    @Override
    public Set<String> statisticNames() {
        return data.statisticNames();
    }

    @Override
    public int valuesPerStay(String statistic) {
        return data.valuesPerStay(statistic);
    }

    /** The layout every site of this dictionary produces for the merged statistics (the coordinator side's view). */
    public static Layout layout(EventDictionary dictionary, FeatureStatistics merged) {
        return layout(new FittedEventHarmonizer(dictionary, merged).layout());
    }

    static Layout layout(ChannelLayout l) {
        return new Layout(l.channels(), l.staticCount(), l.summarySize(), l.bins());
    }

    @Override
    public HarmonisedSequences harmonise(FeatureStatistics merged) {
        SequenceDataset.Split split = data.harmonise(merged);
        Layout layout = layout(split.train().layout());
        return new HarmonisedSequences(layout, sequences(split.train()), sequences(split.test()),
                split.train().summaries(), split.test().summaries());
    }

    private static SequenceData sequences(SequenceDataset d) {
        if (d.isEmpty()) return SequenceData.empty();
        int[] labels = d.labels();
        float[] y = new float[labels.length];
        int[] lengths = new int[labels.length];
        int bins = d.layout().bins();
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
            lengths[i] = bins;
        }
        return new SequenceData(d.features(), lengths, d.statics(), y);
    }
}
