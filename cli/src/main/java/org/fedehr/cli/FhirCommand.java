package org.fedehr.cli;

import org.fedehr.site.events.fhir.FhirEvent;
import org.fedehr.site.events.fhir.FhirReadReport;
import org.fedehr.site.events.fhir.FhirReader;
import org.fedehr.site.events.fhir.FhirSink;
import org.fedehr.site.events.fhir.FhirStatics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code fedehr fhir inspect PATH}: what the FHIR R4 reader makes of an export, in counts only. */
@Command(name = "fhir", mixinStandardHelpOptions = true, description = "FHIR R4 input (HAPI FHIR 8).",
        subcommands = FhirCommand.Inspect.class)
final class FhirCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Read Bundles (*.json, one per file) and bulk-export NDJSON (*.ndjson) from a file or folder and print"
                    + " resources per type, patients, events, the most frequent codes with their units, and what was skipped"
                    + " or left out. Counts only: no patient-level value is printed. Bad input stops with file, line or entry, and field.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PATH", description = "a .json bundle, a .ndjson file, or a folder of them")
        Path path;

        @Option(names = "--top", paramLabel = "N", description = "codes to list (default 15)")
        int top = 15;

        @Override
        public Integer call() throws Exception {
            record CodeCount(long[] n, Set<String> units) {
            }
            Map<String, CodeCount> codes = new HashMap<>();
            Set<String> patients = new HashSet<>();
            long t0 = System.nanoTime();
            FhirReadReport r = new FhirReader().read(path, new FhirSink() {
                @Override
                public void statics(FhirStatics s) {
                    patients.add(s.patient());
                }

                @Override
                public void event(FhirEvent e) {
                    CodeCount c = codes.computeIfAbsent(e.code(), k -> new CodeCount(new long[1], new TreeSet<>()));
                    c.n()[0]++;
                    if (e.unit() != null) c.units().add(e.unit());
                }
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d patients, %d events from %s in %.1f s%n", path, patients.size(), r.events(), r.resources(), secs);
            if (!r.skippedTypes().isEmpty()) System.out.println("skipped (not read): " + r.skippedTypes());
            if (!r.leftOut().isEmpty()) System.out.println("left out (policy): " + r.leftOut());
            System.out.println(codes.size() + " distinct codes; most frequent:");
            codes.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, CodeCount> e) -> -e.getValue().n()[0]).thenComparing(Map.Entry::getKey))
                    .limit(Math.max(0, top))
                    .forEach(e -> System.out.printf("  %-24s %8d%s%n", e.getKey(), e.getValue().n()[0],
                            e.getValue().units().isEmpty() ? "" : "  " + String.join(", ", e.getValue().units())));
            return 0;
        }
    }
}
