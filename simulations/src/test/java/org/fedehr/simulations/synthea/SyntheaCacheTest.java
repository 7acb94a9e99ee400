package org.fedehr.simulations.synthea;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cache detection and regeneration with a fake Synthea (writes small CSV files): no child JVM, milliseconds. */
class SyntheaCacheTest {
    static final SyntheaSite A = new SyntheaSite("alpha", "Massachusetts", "Boston", 3, 11);
    static final SyntheaSite B = new SyntheaSite("beta", "Ohio", null, 2, 12);
    static final SyntheaSpec SPEC = new SyntheaSpec(List.of(A, B), 40, 80, LocalDate.of(2025, 1, 1), 11);

    /** Writes one line per CSV file naming the site and reports its population, counting its calls. */
    static final class FakeSynthea implements SiteRunner {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public SyntheaLauncher.Generated run(String site, List<String> args, Path workDir, java.util.function.IntConsumer progress) throws IOException {
            calls.add(site);
            assertThat(args).contains("--exporter.baseDirectory=" + workDir.toAbsolutePath());
            Path csv = Files.createDirectories(workDir.resolve("csv"));
            for (String f : SyntheaSpec.CSV_FILES) Files.writeString(csv.resolve(f), "header\n" + site + "," + f + "\n");
            int n = Integer.parseInt(args.get(args.indexOf("-p") + 1));
            for (int i = 1; i <= n; i++) progress.accept(i);
            return new SyntheaLauncher.Generated(n, 1);
        }
    }

    static String ensure(SyntheaGenerator g) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Path> dirs = g.ensure(SPEC, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(dirs.keySet()).containsExactly("alpha", "beta");
        for (Path d : dirs.values()) assertThat(d.resolve("observations.csv")).isRegularFile();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generatesOnceThenUsesTheCache(@TempDir Path root) throws Exception {
        SyntheaCache cache = new SyntheaCache(root);
        FakeSynthea fake = new FakeSynthea();
        SyntheaGenerator g = new SyntheaGenerator(cache, () -> fake, 2, 1);
        assertThat(cache.problem(SPEC, A)).contains("not generated yet");

        String first = ensure(g);
        assertThat(fake.calls).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(first).contains("generating 5 patients for 2 site(s)").contains("site alpha (Boston, Massachusetts) done: 3 living + 1 deceased");
        assertThat(cache.problem(SPEC, A)).isEmpty();
        assertThat(cache.problem(SPEC, B)).isEmpty();
        assertThat(cache.siteDir(SPEC, A).getFileName().toString()).startsWith("alpha-").hasSize("alpha-".length() + 16);
        assertThat(Files.list(root).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));

        String second = ensure(new SyntheaGenerator(cache, () -> {
            throw new AssertionError("a warm cache must not need Synthea");
        }, 2, 1));
        assertThat(second).contains("using cached records of 2 sites");
    }

    @Test
    void truncatedEditedOrUnfinishedSiteIsDetectedAndRegenerated(@TempDir Path root) throws Exception {
        SyntheaCache cache = new SyntheaCache(root);
        FakeSynthea fake = new FakeSynthea();
        ensure(new SyntheaGenerator(cache, () -> fake, 1, 1));
        Path obs = cache.siteDir(SPEC, A).resolve("csv/observations.csv");

        Files.writeString(obs, "header\n");   // truncated
        assertThat(cache.problem(SPEC, A).orElseThrow()).contains("csv/observations.csv has 7 bytes");
        fake.calls.clear();
        String out = ensure(new SyntheaGenerator(cache, () -> fake, 1, 1));
        assertThat(out).contains("cached records of site 'alpha' are unusable (csv/observations.csv has 7 bytes");
        assertThat(fake.calls).containsExactly("alpha");   // beta was intact
        assertThat(cache.problem(SPEC, A)).isEmpty();

        String same = Files.readString(obs);
        Files.writeString(obs, same.replace('a', 'b'));   // same size, other content
        assertThat(cache.problem(SPEC, A).orElseThrow()).contains("does not match its SHA-256");

        Files.delete(cache.siteDir(SPEC, A).resolve(SyntheaCache.MANIFEST));   // killed before the manifest was written
        assertThat(cache.problem(SPEC, A).orElseThrow()).contains("no manifest.json");

        Files.delete(cache.siteDir(SPEC, B).resolve("csv/patients.csv"));
        assertThat(cache.problem(SPEC, B).orElseThrow()).isEqualTo("csv/patients.csv is missing");

        fake.calls.clear();
        ensure(new SyntheaGenerator(cache, () -> fake, 2, 1));
        assertThat(fake.calls).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(cache.problem(SPEC, A)).isEmpty();
        assertThat(cache.problem(SPEC, B)).isEmpty();
    }

    @Test
    void otherParametersUseAnotherFolderAndAForeignManifestIsRefused(@TempDir Path root) throws Exception {
        SyntheaCache cache = new SyntheaCache(root);
        ensure(new SyntheaGenerator(cache, FakeSynthea::new, 2, 1));
        SyntheaSite bigger = new SyntheaSite("alpha", "Massachusetts", "Boston", 4, 11);
        SyntheaSpec other = new SyntheaSpec(List.of(bigger, B), 40, 80, LocalDate.of(2025, 1, 1), 11);
        assertThat(cache.siteDir(other, bigger)).isNotEqualTo(cache.siteDir(SPEC, A));
        assertThat(cache.problem(other, bigger)).contains("not generated yet");
        // a folder renamed by hand to another spec's name is not trusted
        Files.move(cache.siteDir(SPEC, A), cache.siteDir(other, bigger));
        assertThat(cache.problem(other, bigger).orElseThrow()).contains("was written for other arguments");
    }

    @Test
    void aLeftoverPartialFolderIsRemovedAndAFailedRunNamesItsLog(@TempDir Path root) throws Exception {
        SyntheaCache cache = new SyntheaCache(root);
        Path partial = cache.newWorkDir(SPEC, A);
        Files.writeString(partial.resolve("synthea.log"), "killed");
        SiteRunner failing = (site, args, work, progress) -> {
            throw new IOException("Synthea for site '" + site + "' exited with status 1: see " + work.resolve("synthea.log"));
        };
        assertThatThrownBy(() -> ensure(new SyntheaGenerator(cache, () -> failing, 1, 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("exited with status 1: see ");
        assertThat(partial).doesNotExist();
        assertThat(cache.problem(SPEC, A)).isPresent();

        SiteRunner tooFew = (site, args, work, progress) -> {
            Files.createDirectories(work.resolve("csv"));
            return new SyntheaLauncher.Generated(1, 0);
        };
        assertThatThrownBy(() -> ensure(new SyntheaGenerator(cache, () -> tooFew, 1, 1)))
                .hasMessageContaining("generated 1 living patients, expected 3");
    }

    @Test
    void argumentsAreSyntheasCommandLine() {
        assertThat(SPEC.arguments(A, "/out")).containsSubsequence("-p", "3", "-s", "11", "-cs", "11", "-r", "20250101", "-a", "40-80")
                .contains("--exporter.csv.export=true", "--exporter.fhir.export=false", "--exporter.years_of_history=11",
                        "--exporter.baseDirectory=/out")
                .endsWith("Massachusetts", "Boston");
        assertThat(SPEC.arguments(B, "/out")).endsWith("Ohio");
        assertThat(SPEC.fingerprint(A)).hasSize(16).isEqualTo(SPEC.fingerprint(A)).isNotEqualTo(SPEC.fingerprint(B));
        assertThatThrownBy(() -> new SyntheaSpec(List.of(A, A), 40, 80, LocalDate.of(2025, 1, 1), 11)).hasMessageContaining("'alpha' is listed twice");
        assertThatThrownBy(() -> new SyntheaSite("Alpha", "X", null, 1, 1)).hasMessageContaining("id must be");
        assertThatThrownBy(() -> new SyntheaSite("a", "X", null, 0, 1)).hasMessageContaining("population of site 'a' must be in [1, 100000], was 0");
    }
}
