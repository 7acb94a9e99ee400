package org.fedehr.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {

    @TempDir
    Path temp;

    private Path served;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServer() throws IOException {
        served = Files.createDirectories(temp.resolve("served"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hd/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/hd/".length());
            Path file = served.resolve(name);
            try (exchange) {
                if (name.isEmpty() || name.contains("/") || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        base = URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/hd/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void downloadsTheRealFourFilesThenReportsThemPresentWithoutRequests() throws IOException {
        String data = System.getenv("FEDEHR_DATA");
        assumeTrue(data != null && !data.isBlank(),
                "FEDEHR_DATA is not set; skipping the test with the real UCI heart-disease files "
                        + "(set FEDEHR_DATA to the directory holding heart_disease/processed.*.data)");
        Path source = Path.of(data).resolve("heart_disease");
        for (String name : DataFetcher.HEART_DISEASE_MD5.keySet()) {
            assumeTrue(Files.isRegularFile(source.resolve(name)), "FEDEHR_DATA has no " + source.resolve(name));
            Files.copy(source.resolve(name), served.resolve(name));
        }
        Path target = temp.resolve("target");

        FetchReport first = new DataFetcher(base, client).fetchHeartDisease(target);

        assertThat(first.directory()).isEqualTo(target.resolve("heart_disease"));
        assertThat(first.files()).extracting(FetchReport.FileEntry::name)
                .containsExactlyElementsOf(DataFetcher.HEART_DISEASE_MD5.keySet());
        for (FetchReport.FileEntry f : first.files()) {
            Path p = target.resolve("heart_disease").resolve(f.name());
            assertThat(f.status()).isEqualTo(FetchReport.Status.DOWNLOADED);
            assertThat(f.md5()).isEqualTo(DataFetcher.HEART_DISEASE_MD5.get(f.name()));
            assertThat(DataFetcher.md5Of(p)).isEqualTo(f.md5());
            assertThat(f.bytes()).isEqualTo(Files.size(p));
            assertThat(Files.mismatch(p, source.resolve(f.name()))).isEqualTo(-1L);
        }
        assertThat(first.files()).extracting(FetchReport.FileEntry::bytes)
                .containsExactly(18461L, 10263L, 4109L, 6737L);
        assertThat(requests.get()).isEqualTo(4);
        assertThat(first.notes()).contains(DataFetcher.SPLIT_FILE_NOTE);
        assertThat(listNames(target.resolve("heart_disease")))
                .containsExactlyInAnyOrderElementsOf(DataFetcher.HEART_DISEASE_MD5.keySet());

        FetchReport second = new DataFetcher(base, client).fetchHeartDisease(target);

        assertThat(second.files()).extracting(FetchReport.FileEntry::status)
                .containsOnly(FetchReport.Status.PRESENT);
        assertThat(second.files()).extracting(FetchReport.FileEntry::md5)
                .containsExactlyElementsOf(DataFetcher.HEART_DISEASE_MD5.values());
        assertThat(requests.get()).as("no HTTP request on the second call").isEqualTo(4);
        assertThat(second.format()).contains("present").contains("flamby_split.csv");
    }

    @Test
    void presentFilesAreSkippedAndWrongOnesRedownloaded() throws IOException {
        byte[] a = "1,2,3\n".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "4,5,6\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(served.resolve("a.data"), a);
        Files.write(served.resolve("b.data"), b);
        Map<String, String> md5 = new LinkedHashMap<>();
        md5.put("a.data", md5(a));
        md5.put("b.data", md5(b));
        Path target = temp.resolve("t");
        Files.createDirectories(target.resolve("heart_disease"));
        Files.write(target.resolve("heart_disease/a.data"), a);
        Files.write(target.resolve("heart_disease/b.data"), "stale\n".getBytes(StandardCharsets.US_ASCII));

        FetchReport r = fetcher(md5).fetchHeartDisease(target);

        assertThat(r.files()).extracting(FetchReport.FileEntry::status)
                .containsExactly(FetchReport.Status.PRESENT, FetchReport.Status.DOWNLOADED);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(Files.readAllBytes(target.resolve("heart_disease/b.data"))).isEqualTo(b);
        assertThat(r.downloadedCount()).isEqualTo(1);
    }

    @Test
    void alteredBytesFailWithBothMd5sAndLeaveNoFile() throws IOException {
        byte[] original = "63,1,1,145,233,1,2,150,0,2.3,3,0,6,0\n".getBytes(StandardCharsets.US_ASCII);
        byte[] altered = "63,1,1,145,233,1,2,150,0,2.3,3,0,6,1\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(served.resolve("fake.cleveland.data"), altered);
        String expected = md5(original);
        String actual = md5(altered);
        Path target = temp.resolve("t");

        assertThatThrownBy(() -> fetcher(Map.of("fake.cleveland.data", expected)).fetchHeartDisease(target))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("fake.cleveland.data")
                .hasMessageContaining(expected)
                .hasMessageContaining(actual);

        Path dir = target.resolve("heart_disease");
        assertThat(dir).as("no file, no temp file and no empty folder left behind").doesNotExist();
    }

    @Test
    void notFoundNamesUrlAndStatus() throws IOException {
        Path target = temp.resolve("t");
        String expectedUrl = base.resolve("missing.data").toString();

        assertThatThrownBy(() -> fetcher(Map.of("missing.data", "00000000000000000000000000000000"))
                        .fetchHeartDisease(target))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining(expectedUrl)
                .hasMessageContaining("404");

        assertThat(target.resolve("heart_disease")).as("the folder this run created is removed again").doesNotExist();
    }

    @Test
    void withoutANetworkTheCauseIsInWordsWithWhatToDoAndNoEmptyFolderIsLeft() throws IOException {
        int port = 1;   // below the ephemeral range: nothing listens there
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/hd/");
        Path target = temp.resolve("t/x/y");
        DataFetcher f = new DataFetcher(nowhere, client, Map.of("a.data", "00000000000000000000000000000000"), Duration.ofSeconds(10));

        assertThatThrownBy(() -> f.fetchHeartDisease(target))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("download of " + nowhere.resolve("a.data") + " failed: connection refused — no internet access? copy the four"
                        + " processed.*.data files into " + target.resolve("heart_disease") + File.separator + " yourself (running this"
                        + " command again checks their MD5s), or use --base-url MIRROR")
                .hasMessageNotContaining("java.net").hasMessageNotContaining("Exception");
        assertThat(temp.resolve("t")).as("every folder this run created is removed again").doesNotExist();
        assertThat(temp).exists();
    }

    @Test
    void aLocalCopyThatFailsItsCheckIsNamedWhenItCannotBeDownloadedAgain() throws IOException {
        int port = 1;   // below the ephemeral range: nothing listens there
        Path dir = Files.createDirectories(temp.resolve("copied/heart_disease"));
        byte[] edited = "63,1,1,145,233,1,2,150,0,2.3,3,0,6,0\nextra line\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("a.data"), edited);
        DataFetcher f = new DataFetcher(URI.create("http://127.0.0.1:" + port + "/hd/"), client,
                Map.of("a.data", "00000000000000000000000000000000"), Duration.ofSeconds(10));
        assertThatThrownBy(() -> f.fetchHeartDisease(dir.getParent()))
                .hasMessageStartingWith("the local " + dir.resolve("a.data") + " failed its check (MD5 " + md5(edited)
                        + ", expected 00000000000000000000000000000000: not the UCI file, or edited)")
                .hasMessageContaining("could not be downloaded again").hasMessageContaining("connection refused");
        assertThat(dir.resolve("a.data")).as("the user's own copy is left as it was").hasBinaryContent(edited);
    }

    @Test
    void aFolderThatExistedBeforeOrHoldsFilesIsKept() throws IOException {
        byte[] a = "x\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(served.resolve("a.data"), a);
        Map<String, String> md5 = new LinkedHashMap<>();
        md5.put("a.data", md5(a));
        md5.put("missing.data", "00000000000000000000000000000000");
        Path fresh = temp.resolve("fresh");
        assertThatThrownBy(() -> fetcher(md5).fetchHeartDisease(fresh)).hasMessageContaining("404");
        assertThat(listNames(fresh.resolve("heart_disease"))).containsExactly("a.data");

        Path existing = Files.createDirectories(temp.resolve("existing/heart_disease"));
        assertThatThrownBy(() -> fetcher(Map.of("missing.data", "00000000000000000000000000000000")).fetchHeartDisease(existing.getParent()))
                .hasMessageContaining("404");
        assertThat(existing).isEmptyDirectory();
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/hd/");
            DataFetcher f = new DataFetcher(url, client, Map.of("a.data", "00000000000000000000000000000000"), Duration.ofMillis(300));
            assertThatThrownBy(() -> f.fetchHeartDisease(temp.resolve("t")))
                    .hasMessageStartingWith("download of " + url.resolve("a.data") + " failed: timed out — no internet access?");
        }
    }

    @Test
    void baseUrlWithoutTrailingSlashStillResolvesFiles() throws IOException {
        byte[] a = "x\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(served.resolve("a.data"), a);
        String noSlash = base.toString().substring(0, base.toString().length() - 1);
        DataFetcher f = new DataFetcher(URI.create(noSlash), client, Map.of("a.data", md5(a)), Duration.ofSeconds(10));

        assertThat(f.fetchHeartDisease(temp.resolve("t")).files()).hasSize(1);
    }

    @Test
    void defaultBaseUrlIsUci() {
        assertThat(new DataFetcher().baseUrl().toString()).isEqualTo(DataFetcher.DEFAULT_BASE_URL);
    }

    private DataFetcher fetcher(Map<String, String> md5) {
        return new DataFetcher(base, client, md5, Duration.ofSeconds(10));
    }

    private static String md5(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
