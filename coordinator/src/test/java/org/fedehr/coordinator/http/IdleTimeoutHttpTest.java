package org.fedehr.coordinator.http;

import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.ServerSettings;
import org.fedehr.protocol.msg.Json;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * C11: local training outlasts the connection's idle timeout (600 ms here). The server closes the idle connection;
 * the finished update is delivered on a new one and counted. Training that outlasts the round itself is refused as
 * stale (409) and the site is on the round's record as a timeout: no work vanishes without a record.
 */
@Timeout(60)
class IdleTimeoutHttpTest {
    static final Duration IDLE = Duration.ofMillis(600);
    HttpRun fed;

    @AfterEach
    void close() {
        if (fed != null) fed.close();
    }

    @Test
    void updateFinishedAfterTheIdleTimeoutIsDeliveredOnANewConnection() throws Exception {
        fed = new HttpRun(HttpRun.policy(1, 1, 10_000, 0), 4, 64 * 1024, 300, IDLE);
        HttpRun.Site a = fed.new Site("A");
        // a long-poll shorter than the idle timeout answers 204 and keeps the connection usable
        try (SSLSocket s = fed.wire.socket(5_000)) {
            Wire.write(s.getOutputStream(), Wire.head("GET", "/v1/tasks/next?after=0", Wire.auth("A", a.token, Map.of())));
            assertThat(Wire.readResponse(s.getInputStream()).status()).isEqualTo(204);
            fed.start();
            TaskInstruction stats = null;
            for (int i = 0; i < 20 && stats == null; i++) {
                Wire.write(s.getOutputStream(), Wire.head("GET", "/v1/tasks/next?after=0", Wire.auth("A", a.token, Map.of())));
                Wire.Raw r = Wire.readResponse(s.getInputStream());
                if (r.status() == 200) stats = Json.parse(r.body().getBytes(StandardCharsets.UTF_8), TaskInstruction.class);
            }
            assertThat(stats).isNotNull();
            a.after = stats.taskSeq();
            assertThat(a.replyResending(a.statistics(stats, 10)).statusCode()).isEqualTo(200);

            // the TRAIN task comes over the same kept-alive connection (a long-poll may end 204 first under load)...
            long t0 = 0;
            Wire.Raw r = null;
            for (int i = 0; i < 20; i++) {
                t0 = System.nanoTime();   // before the request: the server's idle timer starts after its response
                Wire.write(s.getOutputStream(), Wire.head("GET", "/v1/tasks/next?after=" + a.after, Wire.auth("A", a.token, Map.of())));
                r = Wire.readResponse(s.getInputStream());
                if (r.status() == 200) break;
            }
            assertThat(r.status()).isEqualTo(200);
            TaskInstruction train = Json.parse(r.body().getBytes(StandardCharsets.UTF_8), TaskInstruction.class);
            assertThat(train.kind()).isEqualTo(TaskKind.TRAIN);
            a.after = train.taskSeq();
            // ...then "training" takes longer than the idle timeout: the server closes that connection
            assertThat(BodyLimitHttpTest.eofWithin(s.getInputStream(), 4_000)).as("idle connection closed by the server").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(IDLE.toMillis() - 20);

            // the finished update goes over a new connection and counts
            HttpResponse<String> up = a.replyResending(a.update(train, 4, 2f, 10));
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(up.body()).contains("accepted");
        }
        TaskInstruction ev = a.next();
        assertThat(a.reply(a.evaluation(ev)).statusCode()).isEqualTo(200);
        fed.await();
        RoundRecord r1 = fed.rounds.get(0);
        assertThat(r1.contributed()).containsOnlyKeys("A");
        assertThat(r1.failures()).isEmpty();
    }

    @Test
    void trainingThatOutlastsTheRoundIsRecordedAsAStragglerNotLost() throws Exception {
        fed = new HttpRun(HttpRun.policy(1, 1, 3_000, 0), 4, 64 * 1024, 300, IDLE).start();
        HttpRun.Site a = fed.new Site("A");
        TaskInstruction stats = a.next();
        assertThat(a.reply(a.statistics(stats, 10)).statusCode()).isEqualTo(200);
        TaskInstruction train = a.next();
        long closesAt = train.deadlineEpochMs();
        Thread.sleep(Math.max(0, closesAt - System.currentTimeMillis()) + 800); // past the round's deadline and idle timeout
        TaskInstruction ev = a.next();
        assertThat(ev.kind()).isEqualTo(TaskKind.EVALUATE);
        HttpResponse<String> late = a.reply(a.update(train, 4, 2f, 10));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(Json.mapper().readTree(late.body()).path("message").asText()).contains("stale reply for TRAIN round 1");
        assertThat(a.reply(a.evaluation(ev)).statusCode()).isEqualTo(200);
        fed.await();
        RoundRecord r1 = fed.rounds.get(0);
        assertThat(r1.contributed()).isEmpty();
        // the straggler's finished work is not lost without a record: the round lists its late arrival
        assertThat(r1.lateReplies()).containsExactly("A: TRAIN round 1 arrived during EVALUATE round 1");
        assertThat(r1.failures()).singleElement().satisfies(f -> {
            assertThat(f.siteId()).isEqualTo("A");
            assertThat(f.reason()).isEqualTo("timeout");
            assertThat(f.detail()).contains("no reply to TRAIN round 1 before the round closed");
        });
        assertThat(r1.status()).startsWith("failed: 0 successful updates");
        assertThat(fed.events).anyMatch(e -> e.contains("stale reply refused: site A sent TRAIN round 1"));
    }

    @Test
    void idleTimeoutMustExceedThePollTimeout() {
        assertThatThrownBy(() -> new ServerSettings("127.0.0.1", 0, TestPki.SERVER.certificatePem(), TestPki.SERVER.privateKeyPem(), TestPki.TRUST,
                64 * 1024, 1_000, Duration.ofMillis(1_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout must exceed pollTimeoutMs=1000");
    }
}
