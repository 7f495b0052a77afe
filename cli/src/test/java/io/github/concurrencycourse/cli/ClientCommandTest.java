package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.LessonRegistry;
import io.github.concurrencycourse.netecho.VirtualThreadEchoServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int course(String input, String... args) {
    return CourseCommand.commandLine(
            LessonRegistry.of(List.of()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new BufferedReader(new StringReader(input)))
        .execute(args);
  }

  @Test
  void talksToAServerUntilQuit() throws Exception {
    try (VirtualThreadEchoServer server = new VirtualThreadEchoServer()) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      int exit =
          course(
              "hello\n\n服务器已经启动.... ok\nquit\n",
              "client",
              "127.0.0.1",
              String.valueOf(address.getPort()));

      assertThat(exit).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo(">>:HELLO\n>>:>>:服务器已经启动.... OK\n>>:");
      assertThat(server.totalConnections()).isEqualTo(1);
    }
  }

  @Test
  void saysClearlyWhenNobodyListens() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    int exit = course("hello\n", "client", "127.0.0.1", String.valueOf(port));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("cannot connect to ")
        .contains(":" + port)
        .doesNotContain("\tat ");
  }

  @Test
  void rejectsABadPort() {
    assertThat(course("", "client", "127.0.0.1", "70000")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("PORT must be between 1 and 65535");
  }
}
