package org.fedehr.protocol.net;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkFailureTest {
    /** A Netty-style subclass: the class name must not matter, the message does. */
    static final class AnnotatedConnectException extends ConnectException {
        AnnotatedConnectException(String m) {
            super(m);
        }
    }

    static Throwable chain(Throwable outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("netty refusal", new AnnotatedConnectException("Connection refused: /127.0.0.1:8443"), NetworkFailure.CONNECTION_REFUSED),
                Arguments.of("JDK refusal (no message)", chain(new ConnectException(), chain(new ConnectException(), new ClosedChannelException())), NetworkFailure.CONNECTION_REFUSED),
                Arguments.of("JDK unknown host", chain(new ConnectException(), chain(new ConnectException(), new UnresolvedAddressException())), NetworkFailure.HOST_NOT_FOUND),
                Arguments.of("unknown host", new UnknownHostException("archive.ics.uci.edu"), NetworkFailure.HOST_NOT_FOUND),
                Arguments.of("netty resolver", new IOException("Failed to resolve 'coord.example' [A(1)]"), NetworkFailure.HOST_NOT_FOUND),
                Arguments.of("reset", new IOException("Connection reset by peer"), NetworkFailure.CONNECTION_RESET),
                Arguments.of("broken pipe", new IOException("Broken pipe"), NetworkFailure.CONNECTION_RESET),
                Arguments.of("vert.x request timeout", new ExecutionException(new TimeoutException("The timeout period of 60000ms has been exceeded")), NetworkFailure.TIMED_OUT),
                Arguments.of("JDK connect timeout", new HttpConnectTimeoutException("HTTP connect timed out"), NetworkFailure.TIMED_OUT),
                Arguments.of("socket timeout", new SocketTimeoutException("Read timed out"), NetworkFailure.TIMED_OUT),
                Arguments.of("no route", new NoRouteToHostException("No route to host"), NetworkFailure.NO_ROUTE),
                Arguments.of("TLS", new SSLHandshakeException("PKIX path building failed"), NetworkFailure.TLS),
                Arguments.of("closed", new IOException("Connection was closed"), NetworkFailure.CONNECTION_CLOSED),
                Arguments.of("EOF", new EOFException(), NetworkFailure.CONNECTION_CLOSED),
                Arguments.of("unknown", new IllegalStateException("boom"), NetworkFailure.OTHER),
                Arguments.of("null", null, NetworkFailure.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesByCauseChain(String name, Throwable failure, NetworkFailure expected) {
        assertThat(NetworkFailure.of(failure)).isEqualTo(expected);
    }

    @Test
    void phrasesAreWordsAndOnlyTransportHiccupsAreTransient() {
        assertThat(NetworkFailure.CONNECTION_REFUSED.phrase()).isEqualTo("connection refused");
        assertThat(NetworkFailure.CONNECTION_REFUSED.transientFailure()).isTrue();
        assertThat(NetworkFailure.TIMED_OUT.transientFailure()).isTrue();
        assertThat(NetworkFailure.TLS.transientFailure()).isFalse();
        assertThat(NetworkFailure.OTHER.transientFailure()).isFalse();
        for (NetworkFailure f : NetworkFailure.values()) assertThat(f.phrase()).doesNotContain("Exception").doesNotContain("$");
    }
}
