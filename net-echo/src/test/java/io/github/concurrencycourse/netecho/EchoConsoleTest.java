package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's {@code >>:} loop, with the exits it lacks. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoConsoleTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private VirtualThreadEchoServer server;
  private EchoClient client;

  @BeforeEach
  void connect() throws IOException {
    server = new VirtualThreadEchoServer();
    client =
        EchoClient.connect(
            server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void echoesEachLineStrippedSkipsEmptyLinesAndEndsWithTheInput() throws IOException {
    EchoConsole.Outcome outcome = run("hello\n\n   \n  服务器已经启动.... ok  \n");

    assertThat(outcome).isEqualTo(EchoConsole.Outcome.END_OF_INPUT);
    assertThat(printed()).isEqualTo(">>:HELLO\n>>:>>:>>:服务器已经启动.... OK\n>>:\n");
    awaitTotal(1);
  }

  @Test
  void quitLeavesWithoutSendingIt() throws IOException {
    EchoConsole.Outcome outcome = run("a\nquit\nnever sent\n");

    assertThat(outcome).isEqualTo(EchoConsole.Outcome.QUIT);
    assertThat(printed()).isEqualTo(">>:A\n>>:");
  }

  @Test
  void aServerThatGoesAwayEndsTheSessionWithOneClearLine() throws IOException {
    BufferedReader closesTheServerOnTheSecondLine =
        new BufferedReader(new StringReader("first\nsecond\nthird\n")) {
          private int lines;

          @Override
          public String readLine() throws IOException {
            if (++lines == 2) {
              server.close();
            }
            return super.readLine();
          }
        };

    EchoConsole.Outcome outcome =
        new EchoConsole(client, closesTheServerOnTheSecondLine, out).run();

    assertThat(outcome).isEqualTo(EchoConsole.Outcome.SERVER_LOST);
    assertThat(printed())
        .startsWith(">>:FIRST\n>>:服务器断开了 (the server went away): ")
        .contains(server.address().toString().replaceFirst("^.*/", ""))
        .doesNotContain("\tat ")
        .endsWith("\n")
        .hasLineCount(2);
  }

  @Test
  void aLongLineIsPrintedOnlyOnceAllOfItHasComeBack() throws IOException {
    String line = "abc".repeat(100_000);

    run(line + "\n");

    assertThat(printed()).isEqualTo(">>:" + line.toUpperCase(Locale.ROOT) + "\n>>:\n");
  }

  @Test
  void thePromptIsShownBeforeTheConsoleWaitsForALineEvenOnABufferedOutput() throws IOException {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream buffered =
        new PrintStream(new BufferedOutputStream(shown), false, StandardCharsets.UTF_8);
    List<String> shownAtEachRead = new ArrayList<>();
    BufferedReader input =
        new BufferedReader(new StringReader("hello\n")) {
          @Override
          public String readLine() throws IOException {
            shownAtEachRead.add(shown.toString(StandardCharsets.UTF_8));
            return super.readLine();
          }
        };

    new EchoConsole(client, input, buffered).run();

    assertThat(shownAtEachRead).containsExactly(">>:", ">>:HELLO\n>>:");
  }

  private EchoConsole.Outcome run(String input) throws IOException {
    return new EchoConsole(client, new BufferedReader(new StringReader(input)), out).run();
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void awaitTotal(long total) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.totalConnections() == total);
  }
}
