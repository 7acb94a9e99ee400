package org.fedehr.simulations.synthea;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Synthea for one site in a child JVM over {@link SyntheaRuntime#classpath()}, so that Synthea's pinned
 * libraries (HAPI FHIR 6.1.0, Jackson 2.13, Guava 31, slf4j 2.0.0) never meet fedehr's. Synthea's console output
 * goes to {@code synthea.log} in the output folder; each line announcing a generated living patient
 * ({@code "12 -- Name (54 y/o F) Boston, Massachusetts (…)"}) advances the progress count. Patient names are
 * never echoed to fedehr's own output.
 */
public final class SyntheaLauncher implements SiteRunner {
    private static final Pattern PATIENT_LINE = Pattern.compile("^\\d+ -- .*");
    private static final Pattern RECORDS = Pattern.compile("^Records: total=(\\d+), alive=(\\d+), dead=(\\d+)");

    private final SyntheaRuntime runtime;
    private final String maxHeap;

    public SyntheaLauncher(SyntheaRuntime runtime, String maxHeap) {
        if (runtime == null) throw new IllegalArgumentException("runtime must not be null");
        if (maxHeap == null || !maxHeap.matches("\\d+[mMgG]")) throw new IllegalArgumentException("maxHeap must look like 1536m or 2g, was '" + maxHeap + "'");
        this.runtime = runtime;
        this.maxHeap = maxHeap;
    }

    /** What one run produced: Synthea's own count of living and deceased patients. */
    public record Generated(int alive, int dead) {
    }

    /** The child JVM's command line. */
    public List<String> command(List<String> syntheaArguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(runtime.classpath());
        cmd.add(SyntheaRuntime.MAIN_CLASS);
        cmd.addAll(syntheaArguments);
        return cmd;
    }

    /**
     * Runs Synthea with {@code syntheaArguments} in {@code workDir} (created; the log goes there), calling
     * {@code progress} with the number of living patients generated so far.
     *
     * @throws IOException when Synthea cannot be started, exits with an error, or reports fewer patients
     */
    @Override
    public Generated run(String site, List<String> syntheaArguments, Path workDir, IntConsumer progress)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("synthea.log");
        ProcessBuilder pb = new ProcessBuilder(command(syntheaArguments)).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        int generated = 0;
        Generated result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                w.write(line);
                w.newLine();
                if (PATIENT_LINE.matcher(line).matches() && !line.contains(" DECEASED ")) progress.accept(++generated);
                Matcher m = RECORDS.matcher(line);
                if (m.find()) result = new Generated(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        } finally {
            if (Thread.currentThread().isInterrupted()) p.destroyForcibly();
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (rc != 0) throw new IOException("Synthea for site '" + site + "' exited with status " + rc + ": see " + log);
        if (result == null) throw new IOException("Synthea for site '" + site + "' ended without its 'Records:' summary: see " + log);
        return result;
    }
}
