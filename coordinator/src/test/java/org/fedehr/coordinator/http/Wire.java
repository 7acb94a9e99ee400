package org.fedehr.coordinator.http;

import org.fedehr.protocol.pki.SiteIdentity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Test-side wire access to a coordinator on 127.0.0.1: a {@link java.net.http.HttpClient} and raw TLS sockets
 * (for byte-exact control: lying Content-Length headers, bodies sent late or never), both trusting the federation
 * CA and presenting a site's client certificate (or none).
 */
final class Wire {
    final SSLContext tls;
    final int port;
    final HttpClient client;

    Wire(String caCertificatePem, SiteIdentity identity, int port) {
        this.tls = context(caCertificatePem, identity);
        this.port = port;
        this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static SSLContext context(String pem, SiteIdentity identity) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("coordinator", c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] kms = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("site", identity.privateKey(), new char[0], new java.security.cert.Certificate[]{identity.certificate()});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
                kms = kmf.getKeyManagers();
            }
            ctx.init(kms, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String site, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (site != null) b.header("X-Fedehr-Site", site).header("Authorization", "Bearer " + token);
        return send(b);
    }

    HttpResponse<String> post(String path, byte[] body, String site, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("content-type", "application/octet-stream");
        if (site != null) b.header("X-Fedehr-Site", site).header("Authorization", "Bearer " + token);
        return send(b);
    }

    /** A raw TLS 1.3 socket to the coordinator with a read timeout; the handshake is done. */
    SSLSocket socket(int readTimeoutMs, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(readTimeoutMs);
        s.setEnabledProtocols(protocols.length == 0 ? new String[]{"TLSv1.3"} : protocols);
        s.startHandshake();
        return s;
    }

    /** Request head (request line + headers + blank line) for a raw socket. */
    static byte[] head(String method, String path, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Map<String, String> auth(String site, String token, Map<String, String> more) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Fedehr-Site", site);
        h.put("Authorization", "Bearer " + token);
        h.putAll(more);
        return h;
    }

    /** A parsed raw response. */
    record Raw(int status, Map<String, String> headers, String body) {
    }

    /** Reads one HTTP/1.1 response with a Content-Length body (the coordinator always sends one). */
    static Raw readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed inside the response head: " + head);
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(len);
        return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }
}
