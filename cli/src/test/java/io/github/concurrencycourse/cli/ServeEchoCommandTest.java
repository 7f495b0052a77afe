package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(30)
class ServeEchoCommandTest {

  private final LoopbackEchoModel model = new LoopbackEchoModel();
  private final ServeEchoConsole console =
      new ServeEchoConsole(EchoServerModels.of(List.of(model)));

  @Test
  void servesTheChosenModelUntilStoppedThenClosesIt() throws Exception {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                console
                    .command()
                    .execute(
                        "--model",
                        "loopback",
                        "--port",
                        "0",
                        "--workers",
                        "3",
                        "--idle-timeout",
                        "PT5S"));
    InetSocketAddress address = console.awaitListening(Duration.ofSeconds(10), exit);

    try (EchoClient client = EchoClient.connect(address)) {
      assertThat(client.exchange("hello 服务器")).isEqualTo("HELLO 服务器");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> console.out().contains("总的连接数:1,alive的连接数:1"));
    }
    console.stopSignal().requestStop();

    assertThat(exit.get()).isZero();
    assertThat(model.settings.get()).isEqualTo(new EchoServerSettings(3, 0, Duration.ofSeconds(5)));
    assertThat(model.server.get().closed()).isTrue();
    assertThat(console.stopSignal().awaitStopped(Duration.ZERO)).isTrue();
    assertThat(console.out()).contains("服务器已经启动....").endsWith("stopped." + System.lineSeparator());
  }

  @Test
  void anUnknownModelIsAUsageErrorListingTheModels() {
    int exit = console.command().execute("--model", "prefork");

    assertThat(exit).isEqualTo(2);
    assertThat(console.err())
        .contains("no echo server model 'prefork'")
        .contains("available: loopback (a virtual thread per connection, for tests)");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void negativeSettingsAreRejectedBeforeAnyServerIsBuilt() {
    int exit = console.command().execute("--model", "loopback", "--workers", "-1");

    assertThat(exit).isEqualTo(2);
    assertThat(console.err()).contains("workers must be >= 0");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void anOptionTheModelDoesNotHonourIsAUsageErrorNamingTheModelAndTheOption() {
    int exit = console.command().execute("--model", "loopback", "--max-connections", "10");

    assertThat(exit).isEqualTo(2);
    assertThat(console.err())
        .contains("the loopback echo server does not support --max-connections")
        .contains("it supports --workers, --idle-timeout");
    assertThat(model.server.get()).isNull();
  }

  @Test
  void theHelpListsEachModelWithTheOptionsItHonours() {
    StringWriter help = new StringWriter();
    CommandLine command = console.command();
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
