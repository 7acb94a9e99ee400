package org.fedehr.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedehr.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code fedehr bench ingest} and {@code fedehr site profile} on the first PhysioNet 2012 stays (FEDEHR_DATA). */
class IngestBenchTest {
    private String root;

    @BeforeEach
    void requireData() {
        root = System.getenv("FEDEHR_DATA");
        Assumptions.assumeTrue(root != null && !root.isBlank(), "FEDEHR_DATA is not set: skipping fedehr bench ingest");
        Assumptions.assumeTrue(Files.isDirectory(Path.of(root, "physionet2012/set-a")), "no physionet2012/set-a: skipping");
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code, output: %s", out).isZero();
        return out;
    }

    @Test
    void benchPrintsEventsSecondsRateAndPeakHeap() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("bench", "ingest", "--config", "../configs/sites/physionet2012/all.yaml",
                "--data-root", root, "--stays", "30", "--json"));
        for (String k : new String[]{"events", "seconds", "events_per_second", "peak_heap_mb"})
            assertThat(j.has(k)).as("key %s in %s", k, j).isTrue();
        assertThat(j.get("stays_read").asInt()).isEqualTo(30);
        assertThat(j.get("events").asLong()).isPositive();
        assertThat(j.get("bins").asInt()).isEqualTo(48);
        assertThat(j.get("channels").asInt()).isEqualTo(111);
    }

    @Test
    void profilePrintsCountsPerConcept() {
        String out = run("site", "profile", "--config", "../configs/sites/physionet2012/icu2.yaml", "--data-root", root);
        assertThat(out).contains("site icu2", "stays: 4000 read, 3126 of other sites, 874 kept", "heart_rate", "units seen");
    }
}
