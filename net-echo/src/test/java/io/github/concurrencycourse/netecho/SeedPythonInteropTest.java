package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.Python;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's own Python against our code: its client against each of our servers, and our client
 * against its thread-pool server. Where {@code python3} is not installed, skipped with a message
 * saying so, or failed under CI ({@link Python#require()}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SeedPythonInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path scripts;

  private static Python python;

  @BeforeAll
  static void requirePython() throws IOException {
    python = Python.require();
    for (String script : new String[] {"seed_client.py", "seed_pool_server.py"}) {
      try (InputStream in = SeedPythonInteropTest.class.getResourceAsStream("/seed/" + script)) {
        Files.copy(in, scripts.resolve(script));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"threads", "pool", "virtual", "prefork", "process-per-connection"})
  void theSeedsClientTalksToOurServer(String model) throws Exception {
    try (EchoServer server =
        EchoServerModels.load().find(model).orElseThrow().create(EchoServerSettings.DEFAULTS)) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Process client =
          python("seed_client.py", String.valueOf(address.getPort()))
              .redirectErrorStream(true)
              .start();
      try {
        client
            .getOutputStream()
            .write("hello\n\n服务器已经启动.... ok\n".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        CompletableFuture<String> output = readAll(client.getInputStream());

        assertThat(client.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(output.get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isEqualTo(">>:HELLO\n>>:>>:服务器已经启动.... OK\n>>:");
        assertThat(client.exitValue()).isZero();
      } finally {
        kill(client);
      }
    }
  }

  @Test
  void ourClientTalksToTheSeedsPoolServerWhichNeverClosesAfterEof() throws Exception {
    int port = freePort();
    Process server =
        python("seed_pool_server.py", String.valueOf(port)).redirectErrorStream(true).start();
    try {
      BufferedReader serverOutput =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      assertThat(serverOutput.readLine()).isEqualTo("服务器已经启动....");
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        EchoConsole.Outcome outcome =
            new EchoConsole(
                    client,
                    new BufferedReader(new StringReader("hello\n\n你好 world\nquit\n")),
                    new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run();
        assertThat(outcome).isEqualTo(EchoConsole.Outcome.QUIT);
      }
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .isEqualTo(">>:HELLO\n>>:>>:你好 WORLD\n>>:");

      // The seed's bug, which our servers fix: after the client's EOF it neither answers nor
      // closes, because recv() returns b'' for ever.
      try (EchoClient quitter = EchoClient.connect(address, WAIT, Duration.ofMillis(500))) {
        assertThat(quitter.exchange("bye")).isEqualTo("BYE");
        quitter.shutdownOutput();
        assertThatThrownBy(() -> quitter.readToEnd(1024))
            .isInstanceOf(SocketTimeoutException.class);
      }
    } finally {
      kill(server);
    }
  }

  private static ProcessBuilder python(String script, String argument) {
    return python.processBuilder("-u", scripts.resolve(script).toString(), argument);
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("python-output")
        .start(
            () -> {
              try {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
