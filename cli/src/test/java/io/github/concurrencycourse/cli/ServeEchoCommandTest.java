package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(30)
class ServeEchoCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final LoopbackEchoModel model = new LoopbackEchoModel();
  private final StopSignal stop = new StopSignal();

  private CommandLine serve() {
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine command =
        new CommandLine(
            new ServeEchoCommand(
                EchoServerModels.of(List.of(model)),
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
  void servesTheChosenModelUntilStoppedThenClosesIt() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                serve()
                    .execute(
                        "--model",
                        "loopback",
                        "--port",
                        "0",
                        "--workers",
                        "3",
                        "--idle-timeout",
                        "PT5S"));
    Pattern listening = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) ");
    await().atMost(Duration.ofSeconds(10)).until(() -> listening.matcher(out()).find());
    Matcher port = listening.matcher(out());
    assertThat(port.find()).isTrue();

    try (EchoClient client =
        EchoClient.connect(
            new InetSocketAddress(
                InetAddress.getLoopbackAddress(), Integer.parseInt(port.group(1))))) {
      assertThat(client.exchange("hello 服务器")).isEqualTo("HELLO 服务器");
      await().atMost(Duration.ofSeconds(10)).until(() -> out().contains("总的连接数:1,alive的连接数:1"));
    }
    stop.requestStop();

    assertThat(exit.get()).isZero();
    assertThat(model.settings.get()).isEqualTo(new EchoServerSettings(3, 0, Duration.ofSeconds(5)));
    assertThat(model.server.get().closed()).isTrue();
    assertThat(stop.awaitStopped(Duration.ZERO)).isTrue();
    assertThat(out()).contains("服务器已经启动....").endsWith("stopped." + System.lineSeparator());
  }

  @Test
  void anUnknownModelIsAUsageErrorListingTheModels() {
    int exit = serve().execute("--model", "prefork");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no echo server model 'prefork'")
        .contains("available: loopback (a virtual thread per connection, for tests)");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void negativeSettingsAreRejectedBeforeAnyServerIsBuilt() {
    int exit = serve().execute("--model", "loopback", "--workers", "-1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("workers must be >= 0");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void anOptionTheModelDoesNotHonourIsAUsageErrorNamingTheModelAndTheOption() {
    int exit = serve().execute("--model", "loopback", "--max-connections", "10");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the loopback echo server does not support --max-connections")
        .contains("it supports --workers, --idle-timeout");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void theHelpListsEachModelWithTheOptionsItHonours() {
    StringWriter help = new StringWriter();
    CommandLine command = serve();
    command.setOut(new PrintWriter(help, true));

    int exit = command.execute("--help");

    assertThat(exit).isZero();
    assertThat(help.toString())
        .contains("--grace-period")
        .contains("Models, and the options each honours:")
        .containsPattern("loopback +--workers, --idle-timeout")
        .contains("Any other option given to a model is refused.");
  }
}
