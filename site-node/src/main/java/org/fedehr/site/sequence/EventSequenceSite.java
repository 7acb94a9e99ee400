package org.fedehr.site.sequence;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fedehr.models.SequenceData;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.events.ChannelLayout;
import org.fedehr.site.events.EventDictionary;
import org.fedehr.site.events.EventPipeline;
import org.fedehr.site.events.EventSiteData;
import org.fedehr.site.events.SequenceDataset;
import org.fedehr.site.events.StaySequence;

/**
 * An event site config ({@link EventSiteData}: config-driven sources, UCUM units, plausible ranges, federated
 * vocabulary, bounded forward fill, masks and times since last observation) served as a {@link SequenceSite}: the
 * one harmonisation method of the federation, mapped onto the node's {@link HarmonisedSequences}. Every stay covers
 * the whole window (its sequence has {@code bins} valid steps; bins without observations carry the mask and
 * time-since channels), so {@link SequenceData#lengths()} are all {@code bins}.
 */
public final class EventSequenceSite implements SequenceSite {
    private final EventSiteData data;

    public EventSequenceSite(EventSiteData data) {
        if (data == null) throw new IllegalArgumentException("event site data must not be null");
        this.data = data;
    }

    /** Reads the site config and the stays' ids and labels (for the seeded, stratified split). */
    public static EventSequenceSite load(Path configFile, Path dataRoot, double testFraction, long seed) {
        return new EventSequenceSite(EventSiteData.load(configFile, dataRoot, testFraction, seed));
    }

    public EventSiteData data() {
        return data;
    }

    public EventDictionary dictionary() {
        return data.dictionary();
    }

    public String siteId() {
        return data.config().siteId();
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

    @Override
    public HarmonisedSequences harmonise(FeatureStatistics merged) {
        SequenceDataset.Split split = data.harmonise(merged);
        Layout layout = layout(split.train().layout());
        return new HarmonisedSequences(layout, sequences(split.train()), sequences(split.test()),
                split.train().summaries(), split.test().summaries());
    }

    /** The node's layout of an events layout: 3·V channels, the static columns, 5·V + statics summaries, the bins. */
    public static Layout layout(ChannelLayout l) {
        return new Layout(l.channels(), l.staticCount(), l.summarySize(), l.bins());
    }

    /** The layout every site of this dictionary produces under the merged statistics (the coordinator side's view). */
    public static Layout layout(EventDictionary dictionary, FeatureStatistics merged) {
        return layout(EventPipeline.fit(dictionary, merged).layout());
    }

    /** Sequences, statics and labels of a resampled split, in the dataset's order. */
    public static SequenceData sequences(SequenceDataset d) {
        List<StaySequence> stays = d.stays();
        int n = stays.size();
        int[] lengths = new int[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = d.layout().bins();
            y[i] = stays.get(i).label();
        }
        return n == 0 ? SequenceData.empty() : new SequenceData(d.features(), lengths, d.statics(), y);
    }
}
