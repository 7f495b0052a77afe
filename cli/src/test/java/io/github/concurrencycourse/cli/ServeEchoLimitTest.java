package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.iomodels.NettyTransport;
import io.github.concurrencycourse.testkit.EchoSockets;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code course serve echo} with the real models: a connection limit is honoured by a model that
 * implements it and refused, as a usage error, by one that does not; a Netty model names the
 * transport it really runs on.
 */
@Timeout(60)
class ServeEchoLimitTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StopSignal stop = new StopSignal();

  private CommandLine serve() {
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine command =
        new CommandLine(
            new ServeEchoCommand(
                EchoServerModels.load(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                errors,
                () -> stop));
    command.setErr(new PrintWriter(new OutputStreamWriter(errors, StandardCharsets.UTF_8), true));
    return command;
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSelectorModelServesAtMostMaxConnectionsAndQueuesTheNext() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> serve().execute("--model", "selector", "--port", "0", "--max-connections", "2"));
    try {
      Pattern listening = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) ");
      await().atMost(WAIT).until(() -> listening.matcher(out()).find() || exit.isDone());
      Matcher port = listening.matcher(out());
      assertThat(port.find()).as("listening line in %s / %s", out(), err).isTrue();
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port.group(1)));

      try (EchoSockets sockets = new EchoSockets(address, WAIT)) {
        EchoClient first = sockets.connect();
        EchoClient second = sockets.connect();
        assertThat(first.exchange("first")).isEqualTo("FIRST");
        assertThat(second.exchange("second")).isEqualTo("SECOND");

        sockets.assertANewClientWaitsUntil(first, Duration.ofMillis(500));
      }
    } finally {
      stop.requestStop();
    }
    assertThat(exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void aNettyModelSaysWhichTransportItRunsOnAndWhyItFellBack() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> serve().execute("--model", "netty-io_uring", "--port", "0"));
    try {
      await().atMost(WAIT).until(() -> out().contains("Netty transport: ") || exit.isDone());
    } finally {
      stop.requestStop();
    }
    assertThat(exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();

    if (NettyTransport.IO_URING.isAvailable()) {
      assertThat(out()).contains("Netty transport: io_uring" + System.lineSeparator());
    } else {
      assertThat(out())
          .containsPattern(
              "Netty transport: (epoll|nio) \\(io_uring is not available here: .+; fell back\\)");
    }
  }

  @Test
  void theBlockingModelRefusesAConnectionLimitAsAUsageError() {
    int exit = serve().execute("--model", "blocking", "--port", "0", "--max-connections", "10");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the blocking echo server does not support --max-connections");
    assertThat(out()).doesNotContain("服务器已经启动");
  }
}
