package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.fedehr.protocol.stats.FeatureStatistics;

/**
 * The site-side steps for longitudinal data, in order:
 * <ol>
 *   <li>{@link #statistics}: read every stay, resample without standardising, and return the site's
 *       {@link FeatureStatistics} (sent to the coordinator, merged federation-wide);</li>
 *   <li>{@link #fit}: the harmoniser from the merged statistics (the same at every site);</li>
 *   <li>{@link #stream} / {@link #dataset}: read again and produce standardised {@link StaySequence}s.</li>
 * </ol>
 * Stays without a label or without any event in the window are dropped and counted in the report.
 */
public final class EventPipeline {
    private EventPipeline() {
    }

    /** Pass 1: the site's local statistics. */
    public static FeatureStatistics statistics(EventSource source, HarmonisationReport report) {
        return statistics(source, report, id -> true);
    }

    /** Pass 1 over the stays whose id passes {@code stays} (e.g. the training stays only). */
    public static FeatureStatistics statistics(EventSource source, HarmonisationReport report, Predicate<String> stays) {
        EventStatistics stats = new EventStatistics(source.dictionary());
        Resampler resampler = new Resampler(source.dictionary());
        source.forEachStay(report, stay -> {
            if (!stays.test(stay.stayId())) return;
            Resampler.Grid g = keep(stay, resampler, report);
            if (g != null) stats.add(g, stay);
        });
        return stats.toStatistics();
    }

    /** A kept stay's id and label (what a split needs; stays only). */
    public record StayLabel(String stayId, int label) {
    }

    /** The id and label of every stay that would be kept (has a label and an event in the window), in reading order. */
    public static List<StayLabel> labels(EventSource source) {
        HarmonisationReport report = new HarmonisationReport(source.dictionary());
        Resampler resampler = new Resampler(source.dictionary());
        List<StayLabel> out = new ArrayList<>();
        source.forEachStay(report, stay -> {
            if (keep(stay, resampler, report) != null) out.add(new StayLabel(stay.stayId(), stay.label()));
        });
        return out;
    }

    /**
     * Test stays of a seeded split stratified by label, the same rule as {@link SequenceDataset#split}: stays ordered
     * by id, grouped by label, each group shuffled with one {@code Random(seed)} and its first
     * {@code round(testFraction × size)} stays taken.
     */
    public static Set<String> testStays(List<StayLabel> stays, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1))
            throw new IllegalArgumentException("testFraction must be in [0, 1), was " + testFraction);
        List<StayLabel> sorted = new ArrayList<>(stays);
        sorted.sort(Comparator.comparing(StayLabel::stayId));
        TreeMap<Integer, List<StayLabel>> groups = new TreeMap<>();
        for (StayLabel s : sorted) groups.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
        Random rnd = new Random(seed);
        Set<String> test = new HashSet<>();
        for (List<StayLabel> g : groups.values()) {
            for (int i = g.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                StayLabel tmp = g.get(i);
                g.set(i, g.get(j));
                g.set(j, tmp);
            }
            int n = (int) Math.round(testFraction * g.size());
            for (int i = 0; i < n; i++) test.add(g.get(i).stayId());
        }
        return test;
    }

    public static FittedEventHarmonizer fit(EventDictionary dictionary, FeatureStatistics merged) {
        return new FittedEventHarmonizer(dictionary, merged);
    }

    /** Pass 2, streaming: one standardised stay at a time. */
    public static void stream(EventSource source, FittedEventHarmonizer fitted, HarmonisationReport report,
                              Consumer<StaySequence> consumer) {
        stream(source, fitted, report, id -> true, consumer);
    }

    /** Pass 2 over the stays whose id passes {@code stays}. */
    public static void stream(EventSource source, FittedEventHarmonizer fitted, HarmonisationReport report,
                              Predicate<String> stays, Consumer<StaySequence> consumer) {
        Resampler resampler = new Resampler(source.dictionary());
        source.forEachStay(report, stay -> {
            if (!stays.test(stay.stayId())) return;
            Resampler.Grid g = keep(stay, resampler, report);
            if (g != null) consumer.accept(fitted.toSequence(stay, g));
        });
    }

    /** Pass 2, collected (for training: the site's stays in memory). */
    public static SequenceDataset dataset(EventSource source, FittedEventHarmonizer fitted, HarmonisationReport report) {
        List<StaySequence> out = new ArrayList<>();
        stream(source, fitted, report, out::add);
        return new SequenceDataset(fitted.layout(), out);
    }

    /** Statistics of one site alone, fitted on themselves (a single-site run, or a local-only baseline). */
    public static SequenceDataset localDataset(EventSource source) {
        FeatureStatistics local = statistics(source, new HarmonisationReport(source.dictionary()));
        return dataset(source, fit(source.dictionary(), local), new HarmonisationReport(source.dictionary()));
    }

    private static Resampler.Grid keep(StayEvents stay, Resampler resampler, HarmonisationReport report) {
        if (stay.label() < 0) {
            report.stayDropped(HarmonisationReport.StayDrop.NO_LABEL);
            EventDictionary d = resampler.dictionary();
            for (int i = 0; i < stay.size(); i++) report.drop(d.series().get(stay.concept(i)).name(), HarmonisationReport.Drop.STAY_DROPPED);
            for (int s = 0; s < d.codeSets().size(); s++)
                for (int i = 0; i < stay.codes(s).size(); i++) report.drop(d.codeSets().get(s).name(), HarmonisationReport.Drop.STAY_DROPPED);
            return null;
        }
        Resampler.Grid g = resampler.aggregate(stay, report);
        if (g.empty()) {
            report.stayDropped(HarmonisationReport.StayDrop.NO_EVENTS);
            return null;
        }
        report.stayKept();
        return g;
    }
}
