package org.fedehr.site.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedehr.protocol.stats.FeatureStatistics;

/**
 * A site's longitudinal data as a site node uses it: the stays of an event site config split into training and test
 * stays (seeded, stratified by label, by stay id), the local statistics of the training stays (what leaves the site
 * in the statistics phase), and both splits harmonised with the federation's merged statistics. Reads lazily and
 * streams: the split needs one pass (ids and labels only), the statistics a second, the harmonised stays a third.
 */
public final class EventSiteData {
    private final EventSiteConfig config;
    private final EventSource source;
    private final Set<String> test;
    private final int trainSize;
    private final int testSize;
    private FeatureStatistics statistics;
    private HarmonisationReport report;

    private EventSiteData(EventSiteConfig config, EventSource source, double testFraction, long seed) {
        this.config = config;
        this.source = source;
        List<EventPipeline.StayLabel> labels = EventPipeline.labels(source);
        this.test = EventPipeline.testStays(labels, testFraction, seed);
        this.testSize = test.size();
        this.trainSize = labels.size() - testSize;
    }

    /** Reads the config, then the stays' ids and labels for the split. */
    public static EventSiteData load(Path configFile, Path dataRoot, double testFraction, long seed) {
        EventSiteConfig c = EventSiteConfig.load(configFile);
        return new EventSiteData(c, EventSources.open(c, dataRoot), testFraction, seed);
    }

    public EventSiteConfig config() {
        return config;
    }

    public EventDictionary dictionary() {
        return config.dictionary();
    }

    public int trainSize() {
        return trainSize;
    }

    public int testSize() {
        return testSize;
    }

    /** Statistics of the training stays (computed once). */
    public synchronized FeatureStatistics statistics() {
        if (statistics == null) {
            report = new HarmonisationReport(config.dictionary());
            statistics = EventPipeline.statistics(source, report, id -> !test.contains(id));
        }
        return statistics;
    }

    /** The harmonisation report of the statistics pass (training stays). */
    public synchronized HarmonisationReport report() {
        statistics();
        return report;
    }

    /** Every statistic name {@link #statistics()} may carry. */
    public Set<String> statisticNames() {
        Set<String> out = new TreeSet<>();
        for (Concept c : config.dictionary().series()) out.add(EventDictionary.seriesKey(c.name()));
        for (Concept c : config.dictionary().statics()) out.add(EventDictionary.staticKey(c.name()));
        for (Concept c : config.dictionary().codeSets()) out.add(EventDictionary.codeSetKey(c.name()));
        return out;
    }

    /**
     * At most how many values one stay adds to a statistic: the bins for a series; for a code set any number of distinct
     * codes (multi-hot), each counted once per stay (so each code's count is at most the stays); 1 for a static.
     */
    public int valuesPerStay(String statistic) {
        if (statistic.startsWith("series:")) return config.dictionary().bins();
        return statistic.startsWith("codes:") ? Integer.MAX_VALUE : 1;
    }

    /** Both splits harmonised with the merged statistics (the same layout at every site). */
    public SequenceDataset.Split harmonise(FeatureStatistics merged) {
        FittedEventHarmonizer fit = EventPipeline.fit(config.dictionary(), merged);
        List<StaySequence> train = new ArrayList<>(trainSize), testStays = new ArrayList<>(testSize);
        EventPipeline.stream(source, fit, new HarmonisationReport(config.dictionary()),
                s -> (test.contains(s.stayId()) ? testStays : train).add(s));
        return new SequenceDataset.Split(new SequenceDataset(fit.layout(), train), new SequenceDataset(fit.layout(), testStays));
    }
}
