package org.fedehr.simulations.synthea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The generated records of each site, cached under {@code <root>/<site>-<fingerprint>/}: Synthea's CSV files in
 * {@code csv/}, its console log, and {@code manifest.json} (written last) with the Synthea version, the arguments,
 * the patient counts and each file's size and SHA-256. A folder is used only when its manifest exists, matches the
 * site's arguments and every file has the recorded size and digest; anything else (a run killed half-way, a
 * truncated or edited file, a manifest from other parameters) is reported, deleted and generated afresh.
 * Generation writes into a temporary sibling folder and renames it into place, so a partial folder never has the
 * final name.
 * <p>
 * Root: {@code $FEDEHR_CACHE/synthea}, else {@code $XDG_CACHE_HOME/fedehr/synthea}, else
 * {@code ~/.cache/fedehr/synthea}.
 */
public final class SyntheaCache {
    public static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public SyntheaCache(Path root) {
        if (root == null) throw new IllegalArgumentException("root must not be null");
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The default cache root (see the class comment). */
    public static Path defaultRoot() {
        String own = System.getenv("FEDEHR_CACHE");
        if (own != null && !own.isBlank()) return Path.of(own).resolve("synthea");
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg).resolve("fedehr").resolve("synthea");
        return Path.of(System.getProperty("user.home"), ".cache", "fedehr", "synthea");
    }

    /** The folder of {@code site}'s records under this spec. */
    public Path siteDir(SyntheaSpec spec, SyntheaSite site) {
        return root.resolve(site.id() + "-" + spec.fingerprint(site));
    }

    /** The CSV folder of a verified site folder. */
    public static Path csvDir(Path siteDir) {
        return siteDir.resolve("csv");
    }

    /**
     * Why the cached folder of {@code site} cannot be used, or empty when it is complete and intact.
     * A folder that does not exist gives {@code "not generated yet"}.
     */
    public Optional<String> problem(SyntheaSpec spec, SyntheaSite site) {
        Path dir = siteDir(spec, site);
        if (!Files.isDirectory(dir)) return Optional.of("not generated yet");
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) return Optional.of("no " + MANIFEST + " (generation did not finish)");
        JsonNode m;
        try {
            m = JSON.readTree(mf.toFile());
        } catch (IOException e) {
            return Optional.of(MANIFEST + " is not valid JSON");
        }
        if (!SyntheaSpec.SYNTHEA_VERSION.equals(m.path("synthea").asText()))
            return Optional.of(MANIFEST + " names Synthea '" + m.path("synthea").asText() + "', expected " + SyntheaSpec.SYNTHEA_VERSION);
        List<String> args = spec.arguments(site, "<out>");
        JsonNode recorded = m.path("arguments");
        if (!recorded.isArray() || recorded.size() != args.size()) return Optional.of(MANIFEST + " was written for other arguments");
        for (int i = 0; i < args.size(); i++)
            if (!args.get(i).equals(recorded.get(i).asText())) return Optional.of(MANIFEST + " was written for other arguments");
        JsonNode files = m.path("files");
        for (String f : SyntheaSpec.CSV_FILES) {
            Path p = csvDir(dir).resolve(f);
            JsonNode e = files.path(f);
            if (e.isMissingNode()) return Optional.of(MANIFEST + " does not list " + f);
            if (!Files.isRegularFile(p)) return Optional.of("csv/" + f + " is missing");
            try {
                long size = Files.size(p);
                if (size != e.path("bytes").asLong(-1))
                    return Optional.of("csv/" + f + " has " + size + " bytes, " + MANIFEST + " says " + e.path("bytes").asLong(-1));
                if (!sha256(p).equals(e.path("sha256").asText()))
                    return Optional.of("csv/" + f + " does not match its SHA-256 in " + MANIFEST);
            } catch (IOException ex) {
                return Optional.of("csv/" + f + " cannot be read (" + ex.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }

    /** Patients Synthea reported for a verified folder: {@code {alive, dead}}. */
    public int[] patientCounts(SyntheaSpec spec, SyntheaSite site) throws IOException {
        JsonNode m = JSON.readTree(siteDir(spec, site).resolve(MANIFEST).toFile());
        return new int[]{m.path("alive").asInt(), m.path("dead").asInt()};
    }

    /** A fresh temporary folder beside the final one, for a generation in progress. */
    public Path newWorkDir(SyntheaSpec spec, SyntheaSite site) throws IOException {
        Files.createDirectories(root);
        return Files.createTempDirectory(root, site.id() + "-" + spec.fingerprint(site) + ".partial-");
    }

    /**
     * Seals a finished generation: checks every CSV file is there, writes the manifest, and renames the work folder
     * to the site's folder (replacing a broken one).
     */
    public Path commit(SyntheaSpec spec, SyntheaSite site, Path workDir, SyntheaLauncher.Generated generated) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("synthea", SyntheaSpec.SYNTHEA_VERSION);
        m.put("site", site.id());
        m.put("place", site.place());
        ArrayNode a = m.putArray("arguments");
        spec.arguments(site, "<out>").forEach(a::add);
        m.put("alive", generated.alive());
        m.put("dead", generated.dead());
        ObjectNode files = m.putObject("files");
        for (String f : SyntheaSpec.CSV_FILES) {
            Path p = csvDir(workDir).resolve(f);
            if (!Files.isRegularFile(p)) throw new IOException("Synthea for site '" + site.id() + "' did not write csv/" + f + " (see " + workDir.resolve("synthea.log") + ")");
            ObjectNode e = files.putObject(f);
            e.put("bytes", Files.size(p));
            e.put("sha256", sha256(p));
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(workDir.resolve(MANIFEST).toFile(), m);
        Path dir = siteDir(spec, site);
        if (Files.exists(dir)) {
            if (problem(spec, site).isEmpty()) {   // another process finished the same site first: keep theirs
                deleteTree(workDir);
                return dir;
            }
            deleteTree(dir);
        }
        Files.move(workDir, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** Removes a site's folder (a broken cache entry) and any leftover partial folders of it. */
    public void discard(SyntheaSpec spec, SyntheaSite site) throws IOException {
        deleteTree(siteDir(spec, site));
        if (!Files.isDirectory(root)) return;
        String prefix = site.id() + "-" + spec.fingerprint(site) + ".partial-";
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) deleteTree(p);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            while (in.read(buf) >= 0) {
                // digesting
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** For messages and tests: the manifest as a map. */
    static Map<String, Object> readManifest(Path siteDir) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(siteDir.resolve(MANIFEST).toFile(), Map.class);
        return m;
    }
}
