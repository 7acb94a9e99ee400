package org.fedehr.site;

import io.vertx.core.Vertx;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.net.NetworkFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A site started before its coordinator waits for it: transport failures at registration are retried with capped
 * exponential backoff for a bounded time, each wait logged in words; HTTP refusals are not retried.
 */
@Timeout(20)
class SiteNodeRegistrationTest {
    static final TaskInstruction FINISHED = new TaskInstruction(UUID.randomUUID(), 1, 0, TaskKind.FINISHED, null, null,
            -1, 0, null, 1, 0);

    /** register() follows a script (a LinkException to throw, or success); the first poll says the run is over. */
    static final class ScriptedRegistration extends UnusedLink {
        final Deque<LinkException> failures = new ArrayDeque<>();
        int registerCalls;

        @Override
        public RegisterResponse register(String siteId) throws LinkException {
            registerCalls++;
            if (!failures.isEmpty()) throw failures.removeFirst();
            return null;
        }

        @Override
        public Optional<TaskInstruction> nextTask(long afterSeq) {
            return Optional.of(FINISHED);
        }

        @Override
        public String address() {
            return "https://127.0.0.1:8443";
        }
    }

    /** A clock that only moves when the node sleeps. */
    static final class FakeTime extends Clock {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        void sleep(long ms) {
            sleeps.add(ms);
            now += ms;
        }
    }

    static CoordinatorLink.LinkException refused() {
        return new CoordinatorLink.LinkException("POST /v1/register failed: connection refused", 0,
                new ConnectException("Connection refused: /127.0.0.1:8443"));
    }

    final List<String> log = new ArrayList<>();
    final FakeTime time = new FakeTime();

    SiteNode node(CoordinatorLink link) {
        return new SiteNode("A", SiteNodeDeliveryTest.DICT, SiteNodeDeliveryTest.ROWS, SiteNodeDeliveryTest.ROWS, link,
                (s, m) -> log.add(m)).timing(time, time::sleep);
    }

    @Test
    void waitsForACoordinatorThatIsNotUpYetThenRunsAsUsual() throws Exception {
        ScriptedRegistration link = new ScriptedRegistration();
        for (int i = 0; i < 3; i++) link.failures.add(refused());
        node(link).run();
        assertThat(link.registerCalls).isEqualTo(4);
        assertThat(time.sleeps).containsExactly(1_000L, 2_000L, 4_000L);
        assertThat(log).containsExactly(
                "waiting for coordinator at https://127.0.0.1:8443 (connection refused); retry in 1 s",
                "waiting for coordinator at https://127.0.0.1:8443 (connection refused); retry in 2 s",
                "waiting for coordinator at https://127.0.0.1:8443 (connection refused); retry in 4 s",
                "registered with 2 training and 2 test rows",
                "run finished");
    }

    @Test
    void givesUpAfterTheWindowNamingAttemptsTimeAndCause() {
        ScriptedRegistration link = new ScriptedRegistration();
        for (int i = 0; i < 100; i++) link.failures.add(refused());
        SiteNode node = node(link).registrationRetry(Duration.ofSeconds(30), Backoff.REGISTRATION);
        assertThatThrownBy(node::run)
                .isInstanceOfSatisfying(CoordinatorLink.LinkException.class, e -> assertThat(e.status()).isZero())
                .hasMessage("cannot reach coordinator at https://127.0.0.1:8443 after 7 attempts over 30 s: connection refused"
                        + " — is it running? is the URL right?");
        // 1, 2, 4, 8, 10 s, then what is left of the 30 s
        assertThat(time.sleeps).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 5_000L);
        assertThat(link.registerCalls).isEqualTo(7);
        assertThat(log).last().asString().isEqualTo("waiting for coordinator at https://127.0.0.1:8443 (connection refused); retry in 5 s");
    }

    @Test
    void aZeroWindowMeansOneAttempt() {
        ScriptedRegistration link = new ScriptedRegistration();
        link.failures.add(refused());
        assertThatThrownBy(node(link).registrationRetry(Duration.ZERO, Backoff.REGISTRATION)::run)
                .hasMessage("cannot reach coordinator at https://127.0.0.1:8443 after 1 attempt over 0 s: connection refused"
                        + " — is it running? is the URL right?");
        assertThat(time.sleeps).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0} is not retried")
    @CsvSource({"400", "401", "409", "503"})
    void httpErrorsAreNotRetried(int status) {
        ScriptedRegistration link = new ScriptedRegistration();
        link.failures.add(new CoordinatorLink.LinkException("register: HTTP " + status + " no", status, null));
        assertThatThrownBy(node(link)::run).hasMessage("register: HTTP " + status + " no");
        assertThat(link.registerCalls).isEqualTo(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aTlsFailureIsNotRetried() {
        ScriptedRegistration link = new ScriptedRegistration();
        link.failures.add(new CoordinatorLink.LinkException("POST /v1/register failed: TLS handshake failed", 0,
                new SSLHandshakeException("PKIX path building failed")));
        assertThatThrownBy(node(link)::run).hasMessageContaining("TLS handshake failed");
        assertThat(link.registerCalls).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "reset,     java.io.IOException,               Connection reset by peer,     connection reset",
            "timeout,   java.util.concurrent.TimeoutException, The timeout period of 60000ms has been exceeded, timed out",
            "dns,       java.net.UnknownHostException,     coord.example,                host not found",
    })
    void otherTransientTransportFailuresAreRetriedToo(String name, String cls, String msg, String phrase) throws Exception {
        Throwable cause = (Throwable) Class.forName(cls).getConstructor(String.class).newInstance(msg);
        ScriptedRegistration link = new ScriptedRegistration();
        link.failures.add(new CoordinatorLink.LinkException("POST /v1/register failed: " + phrase, 0, cause));
        node(link).run();
        assertThat(log).first().asString().isEqualTo("waiting for coordinator at https://127.0.0.1:8443 (" + phrase + "); retry in 1 s");
    }

    @Test
    void backoffIsCappedAndExponential() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 100).stream().map(Backoff.POLL::delayMs).toList())
                .containsExactly(200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L);
        assertThat(new Backoff(0, 0).delayMs(3)).isZero();
        assertThatThrownBy(() -> new Backoff(10, 5)).hasMessageContaining("maxMs").hasMessageContaining("5");
        assertThatThrownBy(() -> Backoff.POLL.delayMs(0)).hasMessageContaining("failures");
        assertThat(SiteNode.duration(500)).isEqualTo("500 ms");
        assertThat(SiteNode.duration(2_000)).isEqualTo("2 s");
        assertThat(SiteNode.duration(2_500)).isEqualTo("2.5 s");
    }

    @Test
    void theRealClientAgainstAPortWithNothingListening() throws Exception {
        int port = 1;   // below the ephemeral range: nothing listens there, and no other test can bind it meanwhile
        org.fedehr.protocol.pki.FederationCa ca = org.fedehr.protocol.pki.FederationCa.create("test", Duration.ofDays(1));
        Vertx vertx = Vertx.vertx();
        try (HttpCoordinatorLink link = new HttpCoordinatorLink(URI.create("https://127.0.0.1:" + port), ca.certificatePem(),
                ca.issueSite("A", Duration.ofDays(1)), vertx, 5_000)) {
            assertThat(link.address()).isEqualTo("https://127.0.0.1:" + port);
            assertThatThrownBy(() -> link.register("A"))
                    .isInstanceOfSatisfying(CoordinatorLink.LinkException.class, e -> {
                        assertThat(e.failure()).isEqualTo(NetworkFailure.CONNECTION_REFUSED);
                        assertThat(e.transientFailure()).isTrue();
                    })
                    .hasMessage("POST /v1/register failed: connection refused");
            SiteNode node = new SiteNode("A", SiteNodeDeliveryTest.DICT, SiteNodeDeliveryTest.ROWS, SiteNodeDeliveryTest.ROWS, link,
                    (s, m) -> log.add(m)).registrationRetry(Duration.ofSeconds(3), new Backoff(50, 100));
            assertThatThrownBy(node::run)
                    .hasMessageStartingWith("cannot reach coordinator at https://127.0.0.1:" + port + " after ")
                    .hasMessageEndingWith(": connection refused — is it running? is the URL right?")
                    .hasMessageNotContaining("netty").hasMessageNotContaining("Exception");
            assertThat(log).hasSizeGreaterThanOrEqualTo(2)
                    .first().asString().isEqualTo("waiting for coordinator at https://127.0.0.1:" + port + " (connection refused); retry in 50 ms");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
