package org.fedehr.cli;

import org.fedehr.simulations.data.DataFetcher;
import org.fedehr.simulations.data.FetchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Public datasets.",
        subcommands = DataCommand.Fetch.class)
final class DataCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a public dataset and verify its checksums. Datasets: heart-disease (the four UCI hospitals).")
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATASET", description = "heart-disease")
        String dataset;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "data root to fill (files go to DIR/heart_disease/)")
        Path to;

        @Option(names = "--base-url", paramLabel = "URL", description = "mirror to download from (default: the UCI archive)")
        URI baseUrl;

        @Override
        public Integer call() {
            if (!dataset.equals("heart-disease"))
                throw new IllegalArgumentException("unknown dataset '" + dataset + "' (available: heart-disease)");
            DataFetcher f = baseUrl == null ? new DataFetcher() : new DataFetcher(baseUrl, DataFetcher.defaultClient());
            FetchReport r = f.fetchHeartDisease(to);
            for (FetchReport.FileEntry e : r.files())
                System.out.printf("%-28s %8d bytes  md5 %s  %s%n", e.name(), e.bytes(), e.md5(), e.status().label());
            r.notes().forEach(n -> System.out.println("note: " + n));
            System.out.println("data root: " + to.toAbsolutePath() + " — run: bin/fedehr simulate configs/simulations/heart-disease-seeded.yaml --data-root " + to);
            return 0;
        }
    }
}
