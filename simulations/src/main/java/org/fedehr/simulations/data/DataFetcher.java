package org.fedehr.simulations.data;

import org.fedehr.protocol.net.NetworkFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Downloads the four UCI Heart Disease files (the data behind FLamby's Fed-Heart-Disease) and verifies
 * each against its known MD5.
 *
 * <p>Files go to {@code targetDir/heart_disease/}. Each download is streamed into a temporary file in that
 * same directory and atomically renamed into place only once its MD5 matches, so a failed or corrupted
 * download never leaves a file at the target path. Files already present with the right MD5 are left alone
 * and no request is made for them.
 *
 * <p>FLamby's train/test split file is not published by UCI, so this class neither downloads nor writes it.
 */
public final class DataFetcher {

    /** Default base URL of the UCI archive directory holding the heart-disease files. */
    public static final String DEFAULT_BASE_URL =
            "https://archive.ics.uci.edu/ml/machine-learning-databases/heart-disease/";

    /** Name of the sub-directory created under the target directory. */
    public static final String HEART_DISEASE_DIR = "heart_disease";

    /** Default TCP connect timeout of {@link #defaultClient()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    /** Default per-request timeout (time until the response headers arrive). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** Refuse bodies larger than this; the real files are all below 20 KB. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /**
     * The four files and their MD5s, in FLamby centre order (cleveland=0, hungarian=1, switzerland=2, va=3).
     * The hashes are those hard-coded in FLamby's {@code fed_heart_disease} download script.
     */
    public static final Map<String, String> HEART_DISEASE_MD5 = orderedMap(
            "processed.cleveland.data", "2d91a8ff69cfd9616aa47b59d6f843db",
            "processed.hungarian.data", "22e96bee155b5973568101c93b3705f6",
            "processed.switzerland.data", "9a87f7577310b3917730d06ba9349e20",
            "processed.va.data", "4249d03ca7711e84f4444768c9426170");

    /** Note added to every report: the split file has to come from elsewhere. */
    public static final String SPLIT_FILE_NOTE =
            "FLamby's train/test split file (flamby_split.csv) is not published by UCI and was not downloaded "
                    + "or written; nothing other than the four processed.*.data files was written.";

    private final URI baseUrl;
    private final HttpClient client;
    private final Map<String, String> expectedMd5;
    private final Duration requestTimeout;

    /** Fetcher using {@link #DEFAULT_BASE_URL} and {@link #defaultClient()}. */
    public DataFetcher() {
        this(URI.create(DEFAULT_BASE_URL), defaultClient());
    }

    /**
     * @param baseUrl directory URL the four files are resolved against (a trailing {@code /} is added if missing)
     * @param client  HTTP client; its connect timeout applies (see {@link #defaultClient()})
     */
    public DataFetcher(URI baseUrl, HttpClient client) {
        this(baseUrl, client, HEART_DISEASE_MD5, DEFAULT_REQUEST_TIMEOUT);
    }

    /** For tests: a different set of files / expected hashes and request timeout. */
    DataFetcher(URI baseUrl, HttpClient client, Map<String, String> expectedMd5, Duration requestTimeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        String s = baseUrl.toString();
        this.baseUrl = s.endsWith("/") ? baseUrl : URI.create(s + "/");
        Map<String, String> copy = new LinkedHashMap<>();
        expectedMd5.forEach((name, md5) -> {
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("bad file name: " + name);
            }
            copy.put(name, md5.toLowerCase(Locale.ROOT));
        });
        this.expectedMd5 = java.util.Collections.unmodifiableMap(copy);
    }

    /** An HTTP client with {@link #DEFAULT_CONNECT_TIMEOUT} that follows normal redirects. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The base URL files are resolved against (always ends with {@code /}). */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Makes sure the four heart-disease files are present and intact in {@code targetDir/heart_disease/}.
     *
     * @return per-file name, size, MD5 and whether it was downloaded or already present
     * @throws DataFetchException on an HTTP status other than 200, a network error, or an MD5 mismatch
     *                            (the message names the file or URL and the details; a network error in words,
     *                            with what to do without internet access). A {@code heart_disease} folder this
     *                            call created is removed again when it is still empty.
     * @throws UncheckedIOException if the target directory cannot be written
     */
    public FetchReport fetchHeartDisease(Path targetDir) {
        Objects.requireNonNull(targetDir, "targetDir");
        Path dir = targetDir.resolve(HEART_DISEASE_DIR).toAbsolutePath().normalize();
        // the folders this call creates (deepest first), so a failure leaves none of them behind empty
        List<Path> created = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) created.add(p);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
        try {
            return fetchInto(dir);
        } catch (RuntimeException e) {
            for (Path p : created) if (!removeIfEmpty(p)) break;   // leave no empty folder that looks like a data root
            throw e;
        }
    }

    private FetchReport fetchInto(Path dir) {
        List<FetchReport.FileEntry> entries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> e : expectedMd5.entrySet()) {
            String name = e.getKey();
            String expected = e.getValue();
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target)) {
                String actual = md5Of(target);
                if (actual.equals(expected)) {
                    entries.add(new FetchReport.FileEntry(name, size(target), actual, FetchReport.Status.PRESENT));
                    continue;
                }
                notes.add("existing " + name + " had MD5 " + actual + " instead of " + expected + "; re-downloaded");
                try {
                    entries.add(download(name, expected, dir, target));
                } catch (DataFetchException ex) {
                    throw new DataFetchException("the local " + target + " failed its check (MD5 " + actual + ", expected "
                            + expected + ": not the UCI file, or edited) and could not be downloaded again: " + ex.getMessage(), ex);
                }
                continue;
            }
            entries.add(download(name, expected, dir, target));
        }
        notes.add(SPLIT_FILE_NOTE);
        return new FetchReport(dir, entries, notes);
    }

    /** Deletes {@code dir} if it is empty; returns whether it is gone. */
    private static boolean removeIfEmpty(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) return false;
        } catch (IOException e) {
            return false;
        }
        try {
            return Files.deleteIfExists(dir) || !Files.exists(dir);
        } catch (IOException e) {
            return false;   // best effort: the download error is what the user needs to see
        }
    }

    /**
     * {@code connection refused — no internet access? copy the four processed.*.data files into DIR/heart_disease/
     * yourself (running this command again checks their MD5s), or use --base-url MIRROR}.
     */
    static String networkProblem(Throwable e, Path dir) {
        NetworkFailure f = NetworkFailure.of(e);
        String what = f != NetworkFailure.OTHER || e.getMessage() == null ? f.phrase() : f.phrase() + ": " + e.getMessage();
        return what + " — no internet access? copy the four processed.*.data files into " + dir + java.io.File.separator
                + " yourself (running this command again checks their MD5s), or use --base-url MIRROR";
    }

    private FetchReport.FileEntry download(String name, String expected, Path dir, Path target) {
        URI url = baseUrl.resolve(name);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("User-Agent", "fedehr-data-fetch")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new DataFetchException("download of " + url + " failed: " + networkProblem(e, dir), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFetchException("download of " + url + " interrupted", e);
        }
        Path tmp = null;
        boolean moved = false;
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new DataFetchException("download of " + url + " failed: HTTP status "
                        + response.statusCode() + " (expected 200)");
            }
            tmp = Files.createTempFile(dir, "." + name + ".", ".part");
            MessageDigest md = newMd5();
            long bytes = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = body.read(buf)) >= 0) {
                    bytes += n;
                    if (bytes > MAX_BYTES) {
                        throw new DataFetchException("download of " + url + " aborted: more than "
                                + MAX_BYTES + " bytes, which cannot be " + name);
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(expected)) {
                throw new DataFetchException("MD5 mismatch for " + name + " (from " + url + "): expected "
                        + expected + ", got " + actual + "; file not saved");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return new FetchReport.FileEntry(name, bytes, actual, FetchReport.Status.DOWNLOADED);
        } catch (IOException e) {
            throw new DataFetchException("download of " + url + " to " + target + " failed: " + networkProblem(e, dir), e);
        } finally {
            if (tmp != null && !moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; the temp file name starts with '.' and ends with .part
                }
            }
        }
    }

    /** Lower-case hex MD5 of a file. */
    static String md5Of(Path file) {
        MessageDigest md = newMd5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 not available", e);
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
