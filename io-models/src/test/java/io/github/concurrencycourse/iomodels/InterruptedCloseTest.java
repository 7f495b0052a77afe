package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.SharedThreads;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code close()} called from an interrupted thread, as {@code EchoServer.close} specifies it: it
 * returns with the interrupt status set, the port and the connections are released all the same,
 * and the server's threads end on their own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedCloseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#names")
  void anInterruptedCloseKeepsTheInterruptAndReleasesEverything(String name) throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    EchoServer server = IoModels.runnable(name).create(EchoServerSettings.DEFAULTS);
    InetSocketAddress address = server.start(0);
    try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
      assertThat(client.exchange("hello")).isEqualTo("HELLO");

      boolean interrupted;
      Thread.currentThread().interrupt();
      try {
        server.close();
      } finally {
        interrupted = Thread.interrupted();
      }

      assertThat(interrupted).as("the interrupt status when close returns").isTrue();
      try {
        assertThat(client.readToEnd(0)).as("what the client reads after the close").isEmpty();
      } catch (SocketException reset) {
        // A reset ends the connection as surely as an end of stream does.
      }
    }
    await("the port to be free")
        .atMost(WAIT)
        .pollInSameThread()
        .ignoreExceptionsInstanceOf(SocketException.class)
        .untilAsserted(
            () -> {
              try (ServerSocket rebound = new ServerSocket()) {
                rebound.setReuseAddress(true);
                rebound.bind(address);
              }
            });
    await("the server's threads to end")
        .atMost(WAIT)
        .pollInSameThread()
        .untilAsserted(
            () -> assertThat(before.startedSince(SharedThreads::isShared)).as("threads").isEmpty());
  }
}
