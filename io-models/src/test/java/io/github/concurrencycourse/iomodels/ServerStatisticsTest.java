package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statistics of the selector and asynchronous servers after a known exchange: one client sends
 * five small messages, each after the reply to the one before, and leaves. Every figure is then
 * exact, since a small write on loopback arrives in one piece and the kernel takes a small reply
 * whole.
 */
@Timeout(60)
class ServerStatisticsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MESSAGES = 5;

  /**
   * A model, the events it counts for the exchange (the selector: the accept, a read per message,
   * the end of the stream; the asynchronous server: the same completions and a write per message),
   * and what an idle connection holds.
   */
  record Model(String name, Supplier<EchoServer> server, int events, int idleHolding) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(new Model("selector", SelectorEchoServer::new, 1 + MESSAGES + 1, 0)),
        Arguments.of(
            new Model(
                "async",
                AsyncEchoServer::new,
                1 + 2 * MESSAGES + 1,
                AsyncEchoServer.IDLE_BUFFER_SIZE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aKnownExchangeIsCountedExactly(Model model) throws Exception {
    try (EchoServer server = model.server().get()) {
      InetSocketAddress address = server.start(0);
      IoStatistics statistics = ServerStatistics.of(server);
      long bytes = 0;
      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        for (int i = 0; i < MESSAGES; i++) {
          String message = "message " + i;
          assertThat(client.exchange(message)).isEqualTo("MESSAGE " + i);
          bytes += message.getBytes(StandardCharsets.US_ASCII).length;
        }
      }
      await("the connection to end").atMost(WAIT).until(() -> server.activeConnections() == 0);

      assertThat(statistics.events()).as("events").isEqualTo(model.events());
      assertThat(statistics.bytesReceived()).as("bytes received").isEqualTo(bytes);
      assertThat(statistics.bytesSent()).as("bytes sent").isEqualTo(bytes);
      assertThat(statistics.bufferedBytes()).as("bytes buffered").isZero();
      assertThat(statistics.pausedConnections()).as("paused connections").isZero();
      assertThat(statistics.bufferBytesHeld()).as("buffer bytes held").isZero();
      assertThat(statistics.peakBufferBytesHeld())
          .as("the most buffer bytes held")
          .isEqualTo(model.idleHolding());
    }
  }
}
