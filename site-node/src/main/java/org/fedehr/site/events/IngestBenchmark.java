package org.fedehr.site.events;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedehr.protocol.stats.FeatureStatistics;

/**
 * Times the whole site-side pipeline on one thread: pass 1 (read, harmonise, resample, local statistics), fit on
 * those statistics, pass 2 (read, harmonise, resample, standardise to {@link StaySequence}s, which are consumed and
 * discarded — a checksum keeps the work from being optimised away). {@code events} counts the data rows read in
 * one pass; {@code events_per_second} = events / total seconds of both passes. Peak heap is the sum of the heap
 * pools' peak usage since the start of the run (after a GC), which bounds what the pipeline held at once.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static Map<String, Object> run(EventSiteConfig config, Path dataRoot, int maxStays) {
        EventSource source = EventSources.open(config, dataRoot, maxStays);
        UnitConverter.shared();
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        long t0 = System.nanoTime();
        HarmonisationReport r1 = new HarmonisationReport(config.dictionary());
        FeatureStatistics local = EventPipeline.statistics(source, r1);
        long t1 = System.nanoTime();
        FittedEventHarmonizer fitted = EventPipeline.fit(config.dictionary(), local);
        HarmonisationReport r2 = new HarmonisationReport(config.dictionary());
        double[] checksum = new double[1];
        long[] stays = new long[1];
        EventPipeline.stream(source, fitted, r2, s -> {
            stays[0]++;
            float[][] f = s.features();
            checksum[0] += f[f.length - 1][0] + s.summary()[0];
        });
        long t2 = System.nanoTime();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
        double seconds = (t2 - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site", config.siteId());
        out.put("stays_read", r2.staysRead());
        out.put("stays_resampled", stays[0]);
        out.put("events", r2.rowsRead());
        out.put("events_kept", r2.eventsKept());
        out.put("seconds", round(seconds));
        out.put("statistics_pass_seconds", round((t1 - t0) / 1e9));
        out.put("resample_pass_seconds", round((t2 - t1) / 1e9));
        out.put("events_per_second", Math.round(r2.rowsRead() / seconds));
        out.put("peak_heap_mb", round(peak / (1024.0 * 1024.0)));
        out.put("max_heap_mb", round(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0)));
        out.put("bins", fitted.layout().bins());
        out.put("channels", fitted.layout().channels());
        out.put("checksum", checksum[0]);
        return out;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
