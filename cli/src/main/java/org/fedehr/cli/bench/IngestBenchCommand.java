package org.fedehr.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedehr.site.events.EventSiteConfig;
import org.fedehr.site.events.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Harmonise and resample a longitudinal source on one thread (both passes: statistics, then"
                + " standardised sequences); prints events, seconds, events_per_second and peak_heap_mb.")
public final class IngestBenchCommand implements Callable<Integer> {
    @Option(names = "--source", paramLabel = "NAME", defaultValue = "physionet2012",
            description = "physionet2012 (configs/sites/physionet2012/all.yaml: all of set-a), or use --config")
    String source;

    @Option(names = "--config", paramLabel = "FILE", description = "an event site config instead of --source")
    Path config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--stays", paramLabel = "N", description = "read only the first N stay files (one-file-per-stay sources)")
    Integer stays;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path cfg = config;
        if (cfg == null) {
            if (!source.equals("physionet2012"))
                throw new IllegalArgumentException("--source must be physionet2012 (or give --config FILE), was " + source);
            cfg = Path.of("configs/sites/physionet2012/all.yaml");
            if (!Files.isRegularFile(cfg))
                throw new IllegalArgumentException(cfg + " not found: run from the project root or give --config FILE");
        }
        Path root = dataRoot != null ? dataRoot : Path.of(System.getenv().getOrDefault("FEDEHR_DATA", "data"));
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("data root " + root + " is not a directory (--data-root or FEDEHR_DATA)");
        Map<String, Object> r = IngestBenchmark.run(EventSiteConfig.load(cfg), root.toAbsolutePath(), stays == null ? Integer.MAX_VALUE : stays);
        if (json) System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        else System.out.printf("ingest %s: %d events (%d kept), %d stays resampled to %d bins x %d channels in %.3f s"
                        + " (statistics %.3f s + resample %.3f s) = %,d events/s (CPU %.3f s); peak heap %.1f MB of max %.0f MB%n",
                r.get("site"), r.get("events"), r.get("events_kept"), r.get("stays_resampled"), r.get("bins"), r.get("channels"),
                r.get("seconds"), r.get("statistics_pass_seconds"), r.get("resample_pass_seconds"), r.get("events_per_second"), r.get("cpu_seconds"),
                r.get("peak_heap_mb"), r.get("max_heap_mb"));
        return 0;
    }
}
