package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection limit of the IO models that take one, beyond {@code EchoServerContract}'s test of
 * it: the limit is lifted again once the clients have left, not only while a newcomer waits, and a
 * client held back is not forgotten when the server closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#limitedNames")
  void aServerAtItsLimitAcceptsAgainOnceItsClientLeft(String name) throws Exception {
    try (EchoServer server = limitedToOne(name)) {
      InetSocketAddress address = server.start(0);
      for (int i = 0; i < 3; i++) {
        try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
          assertThat(client.exchange("client " + i)).isEqualTo("CLIENT " + i);
        }
        await("the client to be gone").atMost(WAIT).until(() -> server.activeConnections() == 0);
      }
      assertThat(server.totalConnections()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#limitedNames")
  void aClientHeldBeyondTheLimitSeesItsConnectionEndWhenTheServerCloses(String name)
      throws Exception {
    EchoServer server = limitedToOne(name);
    try (server;
        Socket served = new Socket();
        Socket held = new Socket()) {
      InetSocketAddress address = server.start(0);
      // Back to back, so that a server which accepts in bursts takes both and must hold one.
      served.connect(address);
      held.connect(address);
      held.setSoTimeout((int) WAIT.toMillis());
      served.getOutputStream().write("served".getBytes(StandardCharsets.US_ASCII));
      held.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
      await().atMost(WAIT).until(() -> server.activeConnections() == 1);

      server.close();

      assertThat(endOf(held.getInputStream())).as("what the held client reads").isEqualTo(-1);
    }
  }

  /** What a client reads once its connection has ended: -1, also for a reset. */
  private static int endOf(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException reset) {
      return -1;
    }
  }

  private static EchoServer limitedToOne(String name) {
    return IoModels.runnable(name).create(EchoServerSettings.DEFAULTS.withMaxConnections(1));
  }
}
