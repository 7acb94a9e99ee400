package org.fedehr.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fedehr bench}: in-process performance measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "In-process performance benchmarks.",
        subcommands = {SecAggBenchCommand.class, SimulateBenchCommand.class, IngestBenchCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
