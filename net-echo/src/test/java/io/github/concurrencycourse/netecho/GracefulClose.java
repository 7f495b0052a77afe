package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.io.IOException;
import java.time.Duration;

/** The end of a grace period, checked the same way for every server that honours one. */
final class GracefulClose {

  private GracefulClose() {}

  /**
   * Closes {@code server}, built with a grace period of {@code grace}, while {@code stays} is
   * connected to it and talking, and asserts that the close waited the grace period out, left no
   * interrupt behind and ended the connection.
   */
  static void endsWhatIsStillOpenAtTheDeadline(EchoServer server, Duration grace, EchoClient stays)
      throws IOException {
    assertThat(stays.exchange("hello")).isEqualTo("HELLO");
    long before = System.nanoTime();

    server.close();

    assertThat(Thread.currentThread().isInterrupted())
        .as("a close nobody interrupted leaves no interrupt behind")
        .isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(grace);
    assertThat(server.activeConnections()).isZero();
    assertThat(stays.readToEnd(0)).isEmpty();
  }
}
