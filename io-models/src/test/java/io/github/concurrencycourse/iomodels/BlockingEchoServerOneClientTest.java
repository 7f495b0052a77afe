package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoClient;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BlockingEchoServerOneClientTest {

  private static final Duration LONG = Duration.ofSeconds(10);

  @Test
  void oneThreadServesOneClientWhileTheNextWaitsInTheListenQueue() throws Exception {
    try (BlockingEchoServer server = new BlockingEchoServer()) {
      server.start(0);
      EchoClient first = EchoClient.connect(server.address(), LONG, LONG);
      EchoClient second = EchoClient.connect(server.address(), LONG, Duration.ofMillis(300));
      try {
        assertThat(first.exchange("first")).isEqualTo("FIRST");
        second.send("second");

        // The kernel completed the handshake, but the only thread is blocked reading from the
        // first client, so nothing reads what the second one sent.
        assertThatThrownBy(() -> second.read(6)).isInstanceOf(SocketTimeoutException.class);
        assertThat(first.exchange("still first")).isEqualTo("STILL FIRST");
        assertThat(server.totalConnections()).isEqualTo(1);
      } finally {
        first.close();
        second.close();
      }
      try (EchoClient next = EchoClient.connect(server.address(), LONG, LONG)) {
        assertThat(next.exchange("next")).isEqualTo("NEXT");
      }
    }
  }

  @Test
  void theSecondClientIsServedOnceTheFirstLeaves() throws Exception {
    try (BlockingEchoServer server = new BlockingEchoServer()) {
      server.start(0);
      EchoClient first = EchoClient.connect(server.address(), LONG, LONG);
      EchoClient second = EchoClient.connect(server.address(), LONG, LONG);
      try {
        assertThat(first.exchange("first")).isEqualTo("FIRST");
        second.send("second".getBytes(StandardCharsets.UTF_8));
        first.close();

        assertThat(new String(second.read(6), StandardCharsets.UTF_8)).isEqualTo("SECOND");
        assertThat(server.totalConnections()).isEqualTo(2);
      } finally {
        first.close();
        second.close();
      }
    }
  }
}
