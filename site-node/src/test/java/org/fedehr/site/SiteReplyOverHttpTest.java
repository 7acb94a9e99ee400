package org.fedehr.site;

import io.vertx.core.Vertx;
import org.fedehr.coordinator.CoordinatorServer;
import org.fedehr.coordinator.FedAvg;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.InitialModel;
import org.fedehr.coordinator.RoundPolicy;
import org.fedehr.coordinator.RunListener;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.coordinator.ServerSettings;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.pki.CertifiedKey;
import org.fedehr.protocol.pki.FederationCa;
import org.fedehr.protocol.pki.FederationTrust;
import org.fedehr.protocol.pki.SiteIdentity;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The site's side of C10 and C11 against the real coordinator server (HTTPS, TLS 1.3): a reply over the body limit
 * comes back to the site as a 413 acknowledgement (not a reset connection) and the site logs what to change; a reply
 * sent after the server closed the idle connection is delivered on a new one.
 */
@Timeout(60)
class SiteReplyOverHttpTest {
    final FederationCa CA = FederationCa.create("test", Duration.ofDays(10));
    final CertifiedKey SERVER = CA.issueCoordinator(java.util.List.of(), Duration.ofDays(1));
    final SiteIdentity A = CA.issueSite("A", Duration.ofDays(1));
    final List<String> coordinatorEvents = new CopyOnWriteArrayList<>();
    final List<String> siteLog = new CopyOnWriteArrayList<>();
    Vertx vertx;
    CoordinatorServer server;
    FederationRun run;
    HttpCoordinatorLink link;
    int port;

    void startCoordinator(long maxReplyBytes, long pollMs, Duration idle, Duration deadline) throws Exception {
        String digest = SiteNode.sha256("{\"m\":1}");
        run = new FederationRun(new RunSettings(UUID.randomUUID(), new RoundPolicy(1, 1, 1, deadline, Duration.ZERO,
                Duration.ofSeconds(10)), new FedAvg(), new TrainingPlan(1, 0, 32, "sgd", 0.1), 7L, false),
                stats -> new InitialModel("{\"m\":1}", digest, new float[4]),
                new RunListener() {
                    @Override
                    public void event(String message) {
                        coordinatorEvents.add(message);
                    }
                }, Clock.systemUTC());
        vertx = Vertx.vertx();
        server = new CoordinatorServer(vertx, run, new ServerSettings("127.0.0.1", 0, SERVER.certificatePem(), SERVER.privateKeyPem(), FederationTrust.of(CA),
                maxReplyBytes, pollMs, idle));
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        link = new HttpCoordinatorLink(URI.create("https://localhost:" + port), CA.certificatePem(), A, null, 20_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) link.close();
        if (server != null) server.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (vertx != null) vertx.close();
    }

    private FutureTask<RunResult> runInBackground() {
        FutureTask<RunResult> task = new FutureTask<>(run::run);
        Thread t = new Thread(task, "federation-run");
        t.setDaemon(true);
        t.start();
        return task;
    }

    private TaskInstruction nextTask(long after) throws Exception {
        for (int i = 0; i < 50; i++) {
            Optional<TaskInstruction> t = link.nextTask(after);
            if (t.isPresent()) return t.get();
        }
        throw new AssertionError("no task; coordinator events " + coordinatorEvents);
    }

    @Test
    void oversizedUpdateComesBackAs413AcknowledgementNamingTheLimit() throws Exception {
        startCoordinator(1024 * 1024, 1_000, Duration.ofSeconds(30), Duration.ofSeconds(5));
        runInBackground();
        link.register("A");
        TaskInstruction t = nextTask(0);
        // a 1.5 MiB update sent in full by the site's own client while the server answers after the headers
        TaskInstruction train = new TaskInstruction(t.runId(), t.taskSeq(), 1, TaskKind.TRAIN, SiteNode.sha256("{\"m\":1}"),
                "{\"m\":1}", 0, 4, new TrainingPlan(1, 0, 32, "sgd", 0.1), 1, t.deadlineEpochMs());
        ReplyEnvelope big = new ReplyEnvelope(SiteReply.to(train, "A").trained(new TrainSummary(10, 0.1, 1)),
                new ParamFrame(ParamFrame.Kind.UPDATE, t.runId(), 1, 10, train.modelDigest(), new float[3 * 1024 * 1024 / 8]));
        CoordinatorLink.Ack ack = link.reply(big);
        assertThat(ack.status()).isEqualTo(413);
        assertThat(ack.code()).isEqualTo("too_large");
        assertThat(ack.message()).contains("exceeds the limit of 1048576").contains("max_reply_bytes");
        // and the link still works afterwards
        assertThat(link.reply(new ReplyEnvelope(SiteReply.to(t, "A").statistics(new FeatureStatistics(5, null, null)), null)).code())
                .isEqualTo("accepted");
    }

    @Test
    void siteLogsWhatToChangeWhenItsReplyIsTooLargeAndTheRunEndsPerPolicy() throws Exception {
        // 40 numeric features: the STATISTICS reply (~3 KB) is over a 1 KiB limit
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < 40; i++) features.add(new Feature("lab_value_" + i, FeatureType.NUMERIC));
        FeatureDictionary dict = new FeatureDictionary(features, 1);
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r <= 4; r++) {
            String[] v = new String[40];
            for (int i = 0; i < 40; i++) v[i] = String.valueOf(r * 1.5 + i);
            rows.add(new Row(r, v, r % 2));
        }
        startCoordinator(1024, 300, Duration.ofSeconds(30), Duration.ofSeconds(5));
        FutureTask<RunResult> coordinator = runInBackground();
        SiteNode node = new SiteNode("A", dict, rows, rows, link, (site, m) -> siteLog.add(site + ": " + m));
        FutureTask<Void> site = new FutureTask<>(() -> {
            node.run();
            return null;
        });
        Thread st = new Thread(site, "site-A");
        st.setDaemon(true);
        st.start();
        RunResult result = coordinator.get(20, TimeUnit.SECONDS);
        site.get(20, TimeUnit.SECONDS);
        assertThat(siteLog).anySatisfy(l -> assertThat(l)
                .contains("STATISTICS round 0 reply of").contains("refused as too large by the coordinator")
                .contains("exceeds the limit of 1024 bytes").contains("raise server.max_reply_bytes"));
        assertThat(siteLog).noneMatch(l -> l.contains("lab_value_3") || l.contains("4.5"));
        assertThat(coordinatorEvents).anyMatch(e -> e.contains("reply refused in transport: site A: too large"));
        assertThat(result.status()).contains("total weight 0");
        assertThat(siteLog).anyMatch(l -> l.endsWith("run finished"));
    }

    @Test
    void replyAfterTheServerClosedTheIdleConnectionIsDelivered() throws Exception {
        startCoordinator(64 * 1024, 200, Duration.ofMillis(500), Duration.ofSeconds(10));
        FutureTask<RunResult> coordinator = runInBackground();
        RegisterResponse reg = link.register("A");
        assertThat(reg.pollTimeoutMs()).isEqualTo(200);
        TaskInstruction t = nextTask(0);
        Thread.sleep(1_500); // "local work" three times the idle timeout: the kept-alive connection is closed meanwhile
        CoordinatorLink.Ack ack = link.reply(new ReplyEnvelope(SiteReply.to(t, "A").statistics(new FeatureStatistics(5, null, null)), null));
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.code()).isEqualTo("accepted");
        TaskInstruction train = nextTask(t.taskSeq());
        assertThat(train.kind()).isEqualTo(TaskKind.TRAIN);
        assertThat(coordinatorEvents).anyMatch(e -> e.startsWith("opened TRAIN round 1"));
        coordinator.cancel(true);
    }

    @Test
    void aSiteWhoseCertificateTheCoordinatorRefusesGetsAClearMessage() throws Exception {
        startCoordinator(64 * 1024, 300, Duration.ofSeconds(30), Duration.ofSeconds(5));
        SiteIdentity foreign = FederationCa.create("test", Duration.ofDays(1)).issueSite("A", Duration.ofDays(1));
        try (HttpCoordinatorLink stranger = new HttpCoordinatorLink(URI.create("https://localhost:" + port), CA.certificatePem(),
                foreign, null, 5_000)) {
            assertThatThrownBy(() -> stranger.register("A"))
                    .isInstanceOfSatisfying(CoordinatorLink.LinkException.class, e -> assertThat(e.transientFailure()).isFalse())
                    .hasMessageStartingWith("POST /v1/register failed: TLS handshake failed: the coordinator refused this site's certificate")
                    .hasMessageNotContaining("io.netty");
        }
        assertThat(coordinatorEvents).anyMatch(e -> e.contains("refused TLS client: certificate CN=A")
                && e.contains("is not issued by this federation's CA"));
        // a coordinator certificate from another CA: the site refuses the coordinator
        try (HttpCoordinatorLink wrongCa = new HttpCoordinatorLink(URI.create("https://localhost:" + port),
                FederationCa.create("other", Duration.ofDays(1)).certificatePem(), A, null, 5_000)) {
            assertThatThrownBy(() -> wrongCa.register("A"))
                    .hasMessageContaining("TLS handshake failed: the coordinator's certificate is not issued by the trusted federation CA");
        }
        // revoked while connected: the next request is refused with the reason
        link.register("A");
        CA.revoke(A.certificate(), "affiliationChanged");
        assertThatThrownBy(() -> link.nextTask(0)).isInstanceOfSatisfying(CoordinatorLink.LinkException.class,
                e -> assertThat(e.status()).isEqualTo(403)).hasMessageContaining("was revoked on").hasMessageContaining("(affiliationChanged)");
    }
}
