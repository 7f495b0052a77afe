package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.testkit.EchoSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The idle timeout of every IO model, and the options the IO models refuse, with a message naming
 * the model and the option. Each server's connection limit is tested by its {@code
 * EchoServerContract}; every model and every option together by the cli's {@code
 * EchoServerModelOptionsTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoEchoServerSettingsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#names")
  void anIdleConnectionIsClosedAndABusyOneIsNot(String name) throws Exception {
    EchoServerModel model = IoModels.runnable(name);
    assertThat(model.supportedOptions()).contains(Option.IDLE_TIMEOUT);
    Duration idle = Duration.ofMillis(500);
    // The blocking model serves one client per thread: two threads for two clients.
    EchoServerSettings settings =
        EchoServerSettings.DEFAULTS
            .withIdleTimeout(idle)
            .withWorkers(name.equals("blocking") ? 2 : 0);

    try (EchoServer server = model.create(settings)) {
      InetSocketAddress address = server.start(0);
      try (EchoClient silent = EchoClient.connect(address, WAIT, WAIT);
          EchoClient chatty = EchoClient.connect(address, WAIT, WAIT)) {
        assertThat(silent.exchange("hello")).isEqualTo("HELLO");
        long quietSince = System.nanoTime();
        EchoSockets.keepTalkingThrough(chatty, idle);

        assertThat(silent.readToEnd(0))
            .as("the silent client sees the end of the stream")
            .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle);
        assertThat(chatty.exchange("served")).isEqualTo("SERVED");
      }
    }
  }

  /**
   * A client that sends 16 MiB but does not read is silent in the idle timeout's sense only because
   * the server stopped reading from it (backpressure): it is not closed, however long that lasts,
   * and gets its whole reply once it reads. Watched for five timeouts.
   *
   * <p>The server must have stopped reading: the reply's path holds a few MiB at most (the client's
   * 64 KiB receive buffer, the server's send buffer, bounded by {@code net.core.wmem_max}, and the
   * server's own buffer). The request's path may hold all of it, since the kernel may let the
   * server's receive buffer grow to 32 MiB, so the client's write may well complete meanwhile.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#names")
  void aConnectionPausedForItsUnreadReplyIsNotClosedAsIdle(String name) throws Exception {
    Duration idle = Duration.ofMillis(200);
    byte[] request = EchoSockets.randomBinary(16 << 20, 17);
    try (EchoServer server =
        IoModels.runnable(name).create(EchoServerSettings.DEFAULTS.withIdleTimeout(idle))) {
      Socket client = new Socket();
      CompletableFuture<Void> writer = CompletableFuture.completedFuture(null);
      try {
        client.setReceiveBufferSize(64 << 10);
        client.setSoTimeout((int) WAIT.toMillis());
        client.connect(server.start(0));
        writer =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    client.getOutputStream().write(request);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        // An observation, not a synchronisation: the connection must outlive the timeout.
        Thread.sleep(idle.multipliedBy(5));

        EchoSockets.assertEchoed(request, client.getInputStream().readNBytes(request.length));
        writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        client.close();
        writer.handle((ignored, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.iomodels.IoModels#names")
  void aGracePeriodIsRefusedNamingTheModelAndTheOption(String name) {
    EchoServerModel model = IoModels.named(name);
    assertThat(model.supportedOptions()).doesNotContain(Option.GRACE_PERIOD);

    assertThatThrownBy(
            () -> model.create(EchoServerSettings.DEFAULTS.withGracePeriod(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the " + name + " echo server does not support --grace-period");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blocking"})
  void aConnectionLimitIsRefusedByTheModelWhoseThreadsAreTheLimit(String name) {
    assertThatThrownBy(
            () -> IoModels.named(name).create(EchoServerSettings.DEFAULTS.withMaxConnections(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the blocking echo server does not support --max-connections; it supports --workers,"
                + " --idle-timeout");
  }
}
