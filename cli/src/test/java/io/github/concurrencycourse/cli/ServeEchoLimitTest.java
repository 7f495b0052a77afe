package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.iomodels.NettyTransport;
import io.github.concurrencycourse.testkit.EchoSockets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code course serve echo} with the real models: a connection limit is honoured by a model that
 * implements it and refused, as a usage error, by one that does not; a Netty model names the
 * transport it really runs on.
 */
@Timeout(60)
class ServeEchoLimitTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ServeEchoConsole console = new ServeEchoConsole(EchoServerModels.load());

  @Test
  void theSelectorModelServesAtMostMaxConnectionsAndQueuesTheNext() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                console
                    .command()
                    .execute("--model", "selector", "--port", "0", "--max-connections", "2"));
    try {
      InetSocketAddress address = console.awaitListening(WAIT, exit);

      try (EchoSockets sockets = new EchoSockets(address, WAIT)) {
        EchoClient first = sockets.connect();
        EchoClient second = sockets.connect();
        assertThat(first.exchange("first")).isEqualTo("FIRST");
        assertThat(second.exchange("second")).isEqualTo("SECOND");

        sockets.assertANewClientWaitsUntil(first, Duration.ofMillis(500));
      }
    } finally {
      console.stopSignal().requestStop();
    }
    assertThat(exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void aNettyModelSaysWhichTransportItRunsOnAndWhyItFellBack() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> console.command().execute("--model", "netty-io_uring", "--port", "0"));
    try {
      await()
          .atMost(WAIT)
          .until(() -> console.out().contains("Netty transport: ") || exit.isDone());
    } finally {
      console.stopSignal().requestStop();
    }
    assertThat(exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();

    if (NettyTransport.IO_URING.isAvailable()) {
      assertThat(console.out()).contains("Netty transport: io_uring" + System.lineSeparator());
    } else {
      assertThat(console.out())
          .containsPattern(
              "Netty transport: (epoll|nio) \\(io_uring is not available here: .+; fell back\\)");
    }
  }

  @Test
  void theBlockingModelRefusesAConnectionLimitAsAUsageError() {
    int exit =
        console.command().execute("--model", "blocking", "--port", "0", "--max-connections", "10");

    assertThat(exit).isEqualTo(2);
    assertThat(console.err())
        .contains("the blocking echo server does not support --max-connections");
    assertThat(console.out()).doesNotContain("服务器已经启动");
  }
}
