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
 * {@code cpu_seconds} is the benchmark thread's CPU time (less sensitive than wall time to other load on the machine).
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
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long p0 = processCpu();
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
        long c2 = threads.getCurrentThreadCpuTime();
        long p2 = processCpu();
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
        double cpu = (c2 - c0) / 1e9;
        out.put("cpu_seconds", round(cpu));
        out.put("events_per_cpu_second", Math.round(r2.rowsRead() / cpu));
        if (p0 >= 0 && p2 >= 0) out.put("process_cpu_seconds", round((p2 - p0) / 1e9));   // + JIT and GC threads
        out.put("peak_heap_mb", round(peak / (1024.0 * 1024.0)));
        out.put("max_heap_mb", round(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0)));
        out.put("bins", fitted.layout().bins());
        out.put("channels", fitted.layout().channels());
        out.put("checksum", checksum[0]);
        return out;
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime();
        return -1;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
