package org.fedehr.simulations.synthea;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/** Generates one site's records into a work folder ({@link SyntheaLauncher} runs Synthea in a child JVM). */
@FunctionalInterface
public interface SiteRunner {
    /**
     * Runs Synthea with {@code syntheaArguments}, writing its CSV files under {@code workDir/csv}, calling
     * {@code progress} with the number of living patients generated so far.
     */
    SyntheaLauncher.Generated run(String site, List<String> syntheaArguments, Path workDir, IntConsumer progress)
            throws IOException, InterruptedException;
}
