package org.fedehr.coordinator.http;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C10 over the wire: a 1 MiB reply limit. A's 0.9 MiB update is accepted on its merits; B's 1.5 MiB body is refused
 * with 413 whether announced (Content-Length) or streamed (chunked); C announces 5 MiB and is refused before it sends
 * a byte of body. The server keeps serving, and the round closes per policy with B and C recorded as failures
 * that say their reply was too large.
 */
@Timeout(60)
class BodyLimitHttpTest {
    static final int LIMIT = 1024 * 1024;
    /** 235,000 float32 values: an update envelope of about 0.9 MiB. */
    static final int PARAMS = 235_000;
    HttpRun fed;

    @AfterEach
    void close() {
        if (fed != null) fed.close();
    }

    @Test
    void oversizedRepliesAreRefusedFastAndTheRoundContinues() throws Exception {
        fed = new HttpRun(HttpRun.policy(3, 1, 8_000, 3_000), PARAMS, LIMIT, 2_000, Duration.ofSeconds(30)).start();
        HttpRun.Site a = fed.new Site("A"), b = fed.new Site("B"), c = fed.new Site("C");
        for (HttpRun.Site s : new HttpRun.Site[]{a, b, c}) {
            TaskInstruction t = s.next();
            assertThat(t.kind()).isEqualTo(TaskKind.STATISTICS);
            assertThat(s.reply(s.statistics(t, 100)).statusCode()).isEqualTo(200);
        }
        TaskInstruction ta = a.next(), tb = b.next(), tc = c.next();
        assertThat(ta.kind()).isEqualTo(TaskKind.TRAIN);

        // C announces 5 MiB and sends nothing: the 413 arrives while its body is still unsent
        try (SSLSocket s = fed.wire("C").socket(5_000)) {
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            Wire.write(out, Wire.head("POST", "/v1/reply", Wire.auth("C", c.token,
                    Map.of("Content-Length", String.valueOf(5 * LIMIT), "Content-Type", "application/octet-stream"))));
            Wire.Raw r = Wire.readResponse(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("5242880 bytes exceeds the limit of 1048576").contains("max_reply_bytes");
            assertThat(ms).as("413 before any body byte was sent").isLessThan(3_000);
            assertThat(r.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(eofWithin(s.getInputStream(), 3_000)).as("connection closed after the 413").isTrue();
        }

        // B announces 1.5 MiB and has sent only the first 64 KiB when the 413 arrives
        byte[] big = b.update(tb, 3 * LIMIT / 8, 0.5f, 50);
        assertThat(big.length).isGreaterThan(LIMIT * 3 / 2 - 1);
        try (SSLSocket s = fed.wire("B").socket(5_000)) {
            OutputStream out = s.getOutputStream();
            Wire.write(out, Wire.head("POST", "/v1/reply", Wire.auth("B", b.token,
                    Map.of("Content-Length", String.valueOf(big.length)))));
            try {
                out.write(big, 0, 64 * 1024);
                out.flush();
            } catch (IOException refusedAlready) {
                // the server may have answered and closed before these bytes went out; the 413 is still readable
            }
            Wire.Raw r = Wire.readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains(big.length + " bytes exceeds the limit").contains("reduce the model size");
        }

        // B streams 1.5 MiB chunked (no Content-Length): cut off with 413 once past the limit
        AtomicLong written = new AtomicLong();
        try (SSLSocket s = fed.wire("B").socket(10_000)) {
            OutputStream out = s.getOutputStream();
            Wire.write(out, Wire.head("POST", "/v1/reply", Wire.auth("B", b.token, Map.of("Transfer-Encoding", "chunked"))));
            Thread writer = new Thread(() -> {
                try {
                    for (int off = 0; off < big.length; off += 32 * 1024) {
                        int n = Math.min(32 * 1024, big.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(big, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        written.addAndGet(n);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException expected) {
                    // the server cut the upload off
                }
            }, "chunked-writer");
            writer.start();
            Wire.Raw r = Wire.readResponse(s.getInputStream());
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("exceeds the limit of 1048576").contains("max_reply_bytes");
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
        }

        // no hung handler: the server still answers others
        HttpResponse<String> st = fed.wire.get("/v1/status", null, null);
        assertThat(st.statusCode()).isEqualTo(200);

        // A's 0.9 MiB update is accepted on its merits; quorum 1 + 1.5 s grace close the round without B and C
        byte[] ok = a.update(ta, PARAMS, 1f, 100);
        assertThat(ok.length).isBetween(9 * LIMIT / 10 - 4096, LIMIT);
        HttpResponse<String> ra = a.reply(ok);
        assertThat(ra.statusCode()).as(ra.body()).isEqualTo(200);
        assertThat(ra.body()).contains("accepted");

        for (HttpRun.Site s : new HttpRun.Site[]{a, b, c}) {
            TaskInstruction t = s.next();
            assertThat(t.kind()).isEqualTo(TaskKind.EVALUATE);
            assertThat(s.reply(s.evaluation(t)).statusCode()).isEqualTo(200);
        }
        assertThat(fed.await().status()).isEqualTo("completed 1 round");
        RoundRecord r1 = fed.rounds.get(0);
        assertThat(r1.contributed()).containsOnlyKeys("A");
        assertThat(r1.updated()).isTrue();
        assertThat(r1.failures()).extracting(SiteFailure::siteId).containsExactlyInAnyOrder("B", "C");
        assertThat(r1.failures()).allSatisfy(f -> assertThat(f.reason()).isEqualTo("too large"));
        assertThat(r1.failures()).filteredOn(f -> f.siteId().equals("C"))
                .singleElement().satisfies(f -> assertThat(f.detail()).contains("5242880 bytes"));
        assertThat(r1.status()).startsWith("completed with 2 failures");
    }

    /** True when the peer closes the stream (or resets it) within the time; false if it stays open and silent. */
    static boolean eofWithin(InputStream in, long ms) throws IOException {
        long until = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < until) {
            try {
                if (in.read() < 0) return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException closed) {
                return true;
            }
        }
        return false;
    }
}
