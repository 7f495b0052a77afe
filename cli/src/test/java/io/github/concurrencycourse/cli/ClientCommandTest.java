package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.netecho.VirtualThreadEchoServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCommandTest {

  private final CourseConsole console = new CourseConsole();

  @Test
  void talksToAServerUntilQuit() throws Exception {
    try (VirtualThreadEchoServer server = new VirtualThreadEchoServer()) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      int exit =
          console.typing(
              "hello\n\n服务器已经启动.... ok\nquit\n",
              "client",
              "127.0.0.1",
              String.valueOf(address.getPort()));

      assertThat(exit).isZero();
      assertThat(console.out()).isEqualTo(">>:HELLO\n>>:>>:服务器已经启动.... OK\n>>:");
      assertThat(server.totalConnections()).isEqualTo(1);
    }
  }

  @Test
  void saysClearlyWhenNobodyListens() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    int exit = console.typing("hello\n", "client", "127.0.0.1", String.valueOf(port));

    assertThat(exit).isEqualTo(1);
    assertThat(console.err())
        .startsWith("cannot connect to ")
        .contains(":" + port)
        .doesNotContain("\tat ");
  }
}
