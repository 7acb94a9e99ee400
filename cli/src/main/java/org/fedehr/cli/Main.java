package org.fedehr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single {@code fedehr} command. */
@Command(name = "fedehr", mixinStandardHelpOptions = true, version = "fedehr 0.1.0-SNAPSHOT",
        description = "Federated learning on electronic health records.",
        subcommands = {SimulateCommand.class, CoordinatorCommand.class, SiteCommand.class, CaCommand.class, DataCommand.class,
                org.fedehr.cli.bench.BenchCommand.class, PrivacyCommand.class, org.fedehr.cli.audit.AuditCommand.class,
                FhirCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            // a clear message naming the bad input, not a stack trace, for errors in what the user gave us
            line.getErr().println("fedehr: " + ex.getMessage());
            if (System.getenv("FEDEHR_DEBUG") != null) ex.printStackTrace(line.getErr());
            return 2;
        });
        CommandLine.IParameterExceptionHandler usual = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            if (!PrivacyCommand.handles(ex)) return usual.handleParseException(ex, rest);
            ex.getCommandLine().getErr().println("fedehr: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }
}
