package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
        EventStatistics stats = new EventStatistics(source.dictionary());
        Resampler resampler = new Resampler(source.dictionary());
        source.forEachStay(report, stay -> {
            Resampler.Grid g = keep(stay, resampler, report);
            if (g != null) stats.add(g, stay);
        });
        return stats.toStatistics();
    }

    public static FittedEventHarmonizer fit(EventDictionary dictionary, FeatureStatistics merged) {
        return new FittedEventHarmonizer(dictionary, merged);
    }

    /** Pass 2, streaming: one standardised stay at a time. */
    public static void stream(EventSource source, FittedEventHarmonizer fitted, HarmonisationReport report,
                              Consumer<StaySequence> consumer) {
        Resampler resampler = new Resampler(source.dictionary());
        source.forEachStay(report, stay -> {
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
