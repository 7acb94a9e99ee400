package org.fedehr.coordinator.http;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.protocol.codec.ParamCodec;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * C12 over the wire (duplicate -> 200 "duplicate", stale round -> 409, other run -> 409, unauthenticated -> 401),
 * malformed bodies (400 naming the problem, never a hung response), unknown endpoints (404), bad query parameters
 * (400), and TLS 1.3 only.
 */
@Timeout(60)
class ReplyHttpTest {
    HttpRun fed;

    @AfterEach
    void close() {
        if (fed != null) fed.close();
    }

    private static String code(HttpResponse<String> r, String field) throws IOException {
        return Json.mapper().readTree(r.body()).path(field).asText();
    }

    @Test
    void duplicateStaleOtherRunAndUnauthenticatedRepliesOverTheWire() throws Exception {
        // two rounds, quorum 1, 3 s grace: A's copy and replays arrive inside round 1's grace; B misses round 1
        fed = new HttpRun(new org.fedehr.coordinator.RoundPolicy(2, 2, 1, Duration.ofSeconds(10), Duration.ofSeconds(3),
                Duration.ofSeconds(10)), 8, 64 * 1024, 2_000, Duration.ofSeconds(30)).start();
        HttpRun.Site a = fed.new Site("A"), b = fed.new Site("B");
        for (HttpRun.Site s : new HttpRun.Site[]{a, b}) {
            TaskInstruction t = s.next();
            assertThat(s.reply(s.statistics(t, s == a ? 30 : 10)).statusCode()).isEqualTo(200);
        }
        TaskInstruction a1 = a.next(), b1 = b.next();
        assertThat(a1.kind()).isEqualTo(TaskKind.TRAIN);
        assertThat(a1.round()).isEqualTo(1);
        byte[] upA = a.update(a1, 8, 2f, 30);

        // unauthenticated: no credentials, wrong token, token of another site
        assertThat(fed.wire.post("/v1/reply", upA, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = fed.wire.post("/v1/reply", upA, "A", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(code(wrong, "error")).isEqualTo("unauthenticated");
        assertThat(fed.wire.post("/v1/reply", upA, "A", b.token).statusCode()).isEqualTo(401);

        // a reply from an earlier run (same site, same round, other run id)
        TaskInstruction otherRun = new TaskInstruction(UUID.randomUUID(), a1.taskSeq(), a1.round(), a1.kind(), a1.modelDigest(),
                a1.modelSpecJson(), a1.modelVersion(), a1.paramCount(), a1.training(), a1.seed(), a1.deadlineEpochMs());
        HttpResponse<String> replay = a.reply(a.update(otherRun, 8, 100f, 30));
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(code(replay, "error")).isEqualTo("other_run");
        assertThat(code(replay, "message")).contains(otherRun.runId().toString()).contains(fed.runId.toString());

        // first copy counts, the second is acknowledged as a duplicate and ignored
        HttpResponse<String> first = a.reply(upA);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(code(first, "code")).isEqualTo("accepted");
        HttpResponse<String> second = a.reply(a.update(a1, 8, 50f, 30));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(code(second, "code")).isEqualTo("duplicate");

        // round 1 closes after the grace without B; B's round-1 update then arrives during round 2
        TaskInstruction a2 = a.next(), b2 = b.next();
        assertThat(b2.round()).isEqualTo(2);
        HttpResponse<String> late = b.reply(b.update(b1, 8, 7f, 10));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(code(late, "error")).isEqualTo("stale");
        assertThat(code(late, "message")).contains("TRAIN round 1").contains("round 2");

        assertThat(a.reply(a.update(a2, 8, 1f, 30)).statusCode()).isEqualTo(200);
        assertThat(b.reply(b.update(b2, 8, 3f, 10)).statusCode()).isEqualTo(200);
        for (HttpRun.Site s : new HttpRun.Site[]{a, b}) {
            TaskInstruction t = s.next();
            assertThat(t.kind()).isEqualTo(TaskKind.EVALUATE);
            assertThat(s.reply(s.evaluation(t)).statusCode()).isEqualTo(200);
        }
        var result = fed.await();
        RoundRecord r1 = fed.rounds.get(0), r2 = fed.rounds.get(1);
        assertThat(r1.contributed()).containsExactly(Map.entry("A", 30.0));
        assertThat(r1.failures()).singleElement().satisfies(f -> {
            assertThat(f.siteId()).isEqualTo("B");
            assertThat(f.reason()).isEqualTo("timeout");
        });
        assertThat(r2.contributed()).containsOnlyKeys("A", "B");
        // round 1 = A's first copy only (2.0); round 2 = (30*1 + 10*3)/40 = 1.5 on top: neither replay nor copy counted
        float[] expected = new float[8];
        Arrays.fill(expected, 2f + 1.5f);
        assertThat(result.finalGlobal()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(fed.events).anyMatch(e -> e.contains("duplicate reply ignored: site A"));
        assertThat(fed.events).anyMatch(e -> e.contains("stale reply refused: site B"));
    }

    @Test
    void malformedBodiesGet400NamingTheProblemAndNeverHang() throws Exception {
        fed = new HttpRun(HttpRun.policy(1, 1, 10_000, 0), 8, 64 * 1024, 2_000, Duration.ofSeconds(30)).start();
        HttpRun.Site a = fed.new Site("A");
        TaskInstruction st = a.next();
        assertThat(a.reply(a.statistics(st, 10)).statusCode()).isEqualTo(200);
        TaskInstruction t = a.next();
        byte[] good = a.update(t, 8, 1f, 10);
        int frame = good.length - ParamCodec.encodedSize(8);

        byte[] garbage = "this is not a reply envelope at all".getBytes(StandardCharsets.US_ASCII);
        byte[] truncated = Arrays.copyOf(good, good.length - 5);
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 1] ^= 0x55;
        byte[] jsonCut = Arrays.copyOf(good, 20);
        byte[] unknownField = new String(good, StandardCharsets.ISO_8859_1)
                .replace("\"site_id\":\"A\"", "\"site_id\":\"A\",\"x\":1").getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer.wrap(unknownField, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(frame - 8 + 6);
        byte[] float64 = good.clone();
        float64[frame + 5] = 2;
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put("bad magic", garbage);
        cases.put("but carries", truncated);
        cases.put("checksum mismatch", badCrc);
        cases.put("JSON bytes but carries", jsonCut);
        cases.put("unknown field 'x'", unknownField);
        cases.put("float64 is not accepted", float64);
        cases.put("reply too short", new byte[0]);
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = a.reply(c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(code(r, "error")).isEqualTo("bad_message");
            assertThat(code(r, "message")).as(c.getKey()).contains(c.getKey());
        }
        // documented policy (ReplyEnvelope): a refused reply whose address (run, round, kind, site) can be read is
        // that site's reply for the round, recorded as a rejected update, so the round need not wait for it; a
        // resend is then a duplicate and never enters the sum
        HttpResponse<String> again = a.reply(good);
        assertThat(code(again, "code")).isEqualTo("duplicate");

        HttpResponse<String> reg = fed.wire.post("/v1/register", "{\"site_id\":\"bad id!\",\"protocol_version\":1}".getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(reg.statusCode()).isEqualTo(400);
        assertThat(code(reg, "message")).contains("siteId must be");
        HttpResponse<String> regJunk = fed.wire.post("/v1/register", new byte[]{1, 2, 3}, null, null);
        assertThat(regJunk.statusCode()).isEqualTo(400);
        assertThat(code(regJunk, "message")).contains("RegisterRequest");

        HttpResponse<String> unknown = fed.wire.get("/v1/nothing-here", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(code(unknown, "message")).contains("/v1/nothing-here");
        HttpResponse<String> wrongMethod = fed.wire.get("/v1/reply", "A", a.token);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(code(wrongMethod, "error")).isEqualTo("method_not_allowed");
        assertThat(code(wrongMethod, "message")).contains("GET is not allowed on /v1/reply");
        HttpResponse<String> after = fed.wire.get("/v1/tasks/next?after=soon", "A", a.token);
        assertThat(after.statusCode()).isEqualTo(400);
        assertThat(code(after, "message")).contains("'after'");
        HttpResponse<String> version = fed.wire.get("/v1/model/latest", "A", a.token);
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(code(version, "message")).contains("model version");
        // the run thread re-versions the model once the refused reply closed round 1 (bounded wait)
        for (int i = 0; i < 500 && fed.run.globalVersion() < 1; i++) Thread.sleep(10);
        HttpResponse<String> gone = fed.wire.get("/v1/model/0", "A", a.token);
        assertThat(gone.statusCode()).isIn(404, 410);
        assertThat(fed.wire.get("/v1/model/1", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void refusedRequestWithUnreadBodyLeavesTheConnectionUsableOrClosedNeverHung() throws Exception {
        fed = new HttpRun(HttpRun.policy(1, 1, 10_000, 0), 8, 64 * 1024, 2_000, Duration.ofSeconds(30));
        try (SSLSocket s = fed.wire.socket(5_000)) {
            byte[] body = new byte[1000];
            Wire.write(s.getOutputStream(), Wire.head("POST", "/v1/reply", Map.of("Content-Length", "1000")));
            s.getOutputStream().write(body);
            Wire.write(s.getOutputStream(), Wire.head("GET", "/v1/status", Map.of()));
            Wire.Raw first = Wire.readResponse(s.getInputStream());
            assertThat(first.status()).isEqualTo(401);
            Wire.Raw second;
            try {
                second = Wire.readResponse(s.getInputStream());
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("connection hung after a refused request with a body", hung);
            }
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains(fed.runId.toString());
        }
    }

    @Test
    void onlyTls13IsAccepted() throws Exception {
        fed = new HttpRun(HttpRun.policy(1, 1, 10_000, 0), 8, 64 * 1024, 2_000, Duration.ofSeconds(30));
        assertThatThrownBy(() -> fed.wire.socket(3_000, "TLSv1.2").close()).isInstanceOf(SSLHandshakeException.class);
        try (SSLSocket ok = fed.wire.socket(3_000, "TLSv1.3", "TLSv1.2")) {
            assertThat(ok.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        // and a client that does not trust the federation CA cannot connect at all
        Wire stranger = new Wire(org.fedehr.protocol.pki.FederationCa.create("other", Duration.ofDays(1)).certificatePem(),
                TestPki.site("A"), fed.wire.port);
        assertThatThrownBy(() -> stranger.socket(3_000).close()).isInstanceOf(SSLHandshakeException.class);
    }
}
