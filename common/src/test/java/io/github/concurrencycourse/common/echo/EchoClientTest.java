package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoClientTest {

  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void exchangesTheSeedsChineseTextAsUtf8() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::echo);
        EchoClient client = EchoClient.connect(server.address())) {

      assertThat(client.exchange("服务器已经启动.... hello")).isEqualTo("服务器已经启动.... HELLO");
      assertThat(client.serverAddress()).isEqualTo(server.address());
      assertThat(client.localAddress().getPort()).isPositive();
    }
  }

  @Test
  void exchangeWaitsForEveryByteOfAReplyThatArrivesOneByteAtATime() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  InputStream in = connection.getInputStream();
                  OutputStream out = connection.getOutputStream();
                  connection.setTcpNoDelay(true);
                  int b;
                  while ((b = in.read()) != -1) {
                    out.write(UppercaseEcho.upperCase((byte) b));
                    out.flush();
                  }
                });
        EchoClient client = EchoClient.connect(server.address())) {

      assertThat(client.exchange("客户端端开... abc")).isEqualTo("客户端端开... ABC");
    }
  }

  @Test
  void exchangesALargeRequestWithABlockingServerWhoseBuffersCannotHoldIt() throws Exception {
    // 16 MiB is several times what the client's and the server's socket buffers hold together,
    // so a client that wrote it all before reading would block for ever in write.
    byte[] request = new byte[16 << 20];
    new Random(8080).nextBytes(request);
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  connection.setSendBufferSize(64 * 1024);
                  connection.setReceiveBufferSize(64 * 1024);
                  ScriptedServer.echo(connection);
                });
        EchoClient client = EchoClient.connect(server.address())) {

      assertThat(client.exchange(request)).isEqualTo(UppercaseEcho.upperCased(request));
    }
  }

  @Test
  void readReportsSilenceAsATimeoutNamingTheServerAndTheProgress() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  connection.getOutputStream().write("AB".getBytes(StandardCharsets.US_ASCII));
                  // Silent until the client leaves.
                  connection.getInputStream().read();
                });
        EchoClient client = EchoClient.connect(server.address(), SHORT, SHORT)) {

      assertThatThrownBy(() -> client.read(5))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("no reply from " + server.address())
          .hasMessageContaining("2 of 5 reply bytes received");
    }
  }

  @Test
  void readReportsAServerThatClosesMidReplyAsEndOfFile() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  connection.getInputStream().readNBytes(5);
                  connection.getOutputStream().write("HEL".getBytes(StandardCharsets.US_ASCII));
                });
        EchoClient client = EchoClient.connect(server.address())) {

      assertThatThrownBy(() -> client.exchange("hello"))
          .isInstanceOf(EOFException.class)
          .hasMessage(server.address() + " closed the connection after 3 of 5 reply bytes");
    }
  }

  @Test
  void readReportsAServerThatResetsTheConnection() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  connection.getInputStream().readNBytes(5);
                  connection.setSoLinger(true, 0);
                });
        EchoClient client = EchoClient.connect(server.address())) {

      assertThatThrownBy(() -> client.exchange("hello"))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("cannot read from " + server.address())
          .hasMessageContaining("0 of 5 reply bytes received");
    }
  }

  @Test
  void connectReportsAnAddressWhereNobodyListens() throws Exception {
    InetSocketAddress vacant;
    try (ServerSocket probe =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      vacant = (InetSocketAddress) probe.getLocalSocketAddress();
    }

    assertThatThrownBy(() -> EchoClient.connect(vacant, SHORT, SHORT))
        .isInstanceOf(ConnectException.class)
        .hasMessageStartingWith("cannot connect to " + vacant);
  }

  @Test
  void halfCloseLetsTheClientReadTheRestOfTheReply() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::echo);
        EchoClient client = EchoClient.connect(server.address())) {

      client.send("bye 客户端端开...");
      client.shutdownOutput();

      assertThat(new String(client.readToEnd(1024), StandardCharsets.UTF_8))
          .isEqualTo("BYE 客户端端开...");
      server.outcome().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readToEndRejectsAReplyLongerThanAllowed() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::echo);
        EchoClient client = EchoClient.connect(server.address())) {
      client.send("too long");
      client.shutdownOutput();

      assertThatThrownBy(() -> client.readToEnd(4)).hasMessageContaining("more than 4 bytes");
    }
  }

  @Test
  void resetReachesTheServerAsAConnectionReset() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            connection -> {
              connection.getInputStream().readNBytes(2);
              connection.getInputStream().read();
            })) {
      EchoClient client = EchoClient.connect(server.address());
      client.send("hi");

      client.reset();
      client.reset();

      assertThat(client.isClosed()).isTrue();
      assertThatThrownBy(() -> server.outcome().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void sendingToAServerThatWentAwayNamesTheServer() throws Exception {
    // The server resets only after a first byte has come, so the reset cannot reach the client
    // before its connect has returned.
    try (ScriptedServer server =
            new ScriptedServer(
                connection -> {
                  connection.getInputStream().read();
                  connection.setSoLinger(true, 0);
                });
        EchoClient client = EchoClient.connect(server.address())) {
      client.send("x");
      server.outcome().get(10, TimeUnit.SECONDS);
      byte[] request = new byte[64 * 1024];

      // The reset may still be on its way when the first bytes are handed to the system.
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  client.send(request);
                }
              })
          .isInstanceOf(SocketException.class)
          .hasMessageStartingWith("cannot send to " + server.address());
    }
  }

  @Test
  void sendingOnAClosedClientNamesTheCause() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::echo)) {
      EchoClient client = EchoClient.connect(server.address());
      client.close();
      client.close();

      assertThatThrownBy(() -> client.send("late"))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("the client was closed");
    }
  }

  @Test
  void rejectsTimeoutsThatAreNotPositive() throws Exception {
    try (ScriptedServer server = new ScriptedServer(ScriptedServer::echo)) {
      assertThatThrownBy(() -> EchoClient.connect(server.address(), Duration.ZERO, SHORT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("connect timeout");
      assertThatThrownBy(() -> EchoClient.connect(server.address(), SHORT, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("read timeout");
      // The server's one connection is still unused; give it one so its thread ends.
      try (EchoClient client = EchoClient.connect(server.address())) {
        assertThat(client.exchange("ok")).isEqualTo("OK");
      }
    }
  }
}
