package org.fedehr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedehr.site.events.EventPipeline;
import org.fedehr.site.events.EventSiteConfig;
import org.fedehr.site.events.EventSource;
import org.fedehr.site.events.EventSources;
import org.fedehr.site.events.HarmonisationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Data-quality report of a longitudinal (event) site config, before joining a run: per concept the"
                + " events mapped, kept, coverage (stays with an observation), units seen and values dropped and why;"
                + " stays kept and dropped; local codes without a mapping. Counts only, never a patient value. Nothing is sent.")
final class SiteProfileCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "event site YAML, e.g. configs/sites/physionet2012/icu1.yaml")
    Path config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "data folder (default: $FEDEHR_DATA, else ./data)")
    Path dataRoot;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EventSiteConfig cfg = EventSiteConfig.load(config);
        EventSource source = EventSources.open(cfg, DataRoots.resolve(dataRoot));
        HarmonisationReport report = new HarmonisationReport(cfg.dictionary());
        EventPipeline.statistics(source, report);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", cfg.siteId());
            m.putAll(report.toMap());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            System.out.println("site " + cfg.siteId() + " (" + config.getFileName() + "): window "
                    + cfg.dictionary().windowMinutes() / 60.0 + " h, bins of " + cfg.dictionary().binMinutes() + " min");
            System.out.print(report.render());
        }
        return 0;
    }
}
