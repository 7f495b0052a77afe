package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's pool of three: the fourth client waits in line, or is refused after a timeout. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PooledEchoServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How long the test listens for a reply that must not come. */
  private static final Duration SILENCE = Duration.ofMillis(300);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }

  @Test
  void theFourthClientIsServedAsSoonAsOneOfTheFirstThreeLeaves() throws Exception {
    PooledEchoServer server = track(new PooledEchoServer());
    InetSocketAddress address = start(server);
    List<EchoClient> firstThree = connectServedClients(address, 3);

    Socket fourth = track(new Socket());
    fourth.connect(address, (int) WAIT.toMillis());
    fourth.getOutputStream().write("hello from client 4".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> server.totalConnections() == 4);
    fourth.setSoTimeout((int) SILENCE.toMillis());
    assertThatThrownBy(() -> fourth.getInputStream().read())
        .as("the fourth client is connected but not served while three are")
        .isInstanceOf(SocketTimeoutException.class);

    firstThree.get(1).close();

    fourth.setSoTimeout((int) WAIT.toMillis());
    assertThat(new String(fourth.getInputStream().readNBytes(19), StandardCharsets.UTF_8))
        .isEqualTo("HELLO FROM CLIENT 4");
    await().atMost(WAIT).until(() -> server.activeConnections() == 3);
  }

  @Test
  void inRefuseModeTheFourthClientIsRefusedWithAReasonAfterTheTimeout() throws Exception {
    Duration timeout = Duration.ofMillis(400);
    PooledEchoServer server =
        track(
            new PooledEchoServer(EchoServerSettings.DEFAULTS, PoolAdmission.refuseAfter(timeout)));
    InetSocketAddress address = start(server);
    List<EchoClient> firstThree = connectServedClients(address, 3);

    long before = System.nanoTime();
    EchoClient fourth = connect(address, WAIT);
    String reason = new String(fourth.readToEnd(1024), StandardCharsets.UTF_8);
    Duration waited = Duration.ofNanos(System.nanoTime() - before);

    assertThat(reason)
        .isEqualTo("busy: all 3 workers are serving other clients; refused after waiting 400 ms\n");
    assertThat(waited).isGreaterThanOrEqualTo(timeout);
    await().atMost(WAIT).until(() -> server.activeConnections() == 3);
    for (EchoClient client : firstThree) {
      assertThat(client.exchange("still served")).isEqualTo("STILL SERVED");
    }
  }

  @Test
  void inRefuseModeAClientTakenBeforeTheTimeoutIsServed() throws Exception {
    PooledEchoServer server =
        track(
            new PooledEchoServer(
                EchoServerSettings.DEFAULTS, PoolAdmission.refuseAfter(Duration.ofSeconds(20))));
    InetSocketAddress address = start(server);
    List<EchoClient> firstThree = connectServedClients(address, 3);
    EchoClient fourth = connect(address, WAIT);
    fourth.send("waiting");
    await().atMost(WAIT).until(() -> server.totalConnections() == 4);

    firstThree.get(0).close();

    assertThat(new String(fourth.read(7), StandardCharsets.UTF_8)).isEqualTo("WAITING");
    assertThat(fourth.exchange("and more")).isEqualTo("AND MORE");
  }

  @Test
  void closeEndsTheConnectionsWaitingInLineToo() throws Exception {
    PooledEchoServer server = track(new PooledEchoServer());
    InetSocketAddress address = start(server);
    connectServedClients(address, 3);
    EchoClient fourth = connect(address, WAIT);
    await().atMost(WAIT).until(() -> server.totalConnections() == 4);

    server.close();

    assertThat(server.activeConnections()).isZero();
    assertThat(fourth.readToEnd(0)).isEmpty();
  }

  @Test
  void rejectsANegativePoolSize() {
    assertThatThrownBy(
            () ->
                new PooledEchoServer(
                    EchoServerSettings.DEFAULTS.withWorkers(-1), PoolAdmission.waitInLine()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers");
    assertThatThrownBy(() -> PoolAdmission.refuseAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InetSocketAddress start(PooledEchoServer server) throws IOException {
    return server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private List<EchoClient> connectServedClients(InetSocketAddress address, int count)
      throws IOException {
    List<EchoClient> clients = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      EchoClient client = connect(address, WAIT);
      assertThat(client.exchange("hello from client " + i)).isEqualTo("HELLO FROM CLIENT " + i);
      clients.add(client);
    }
    return clients;
  }

  private EchoClient connect(InetSocketAddress address, Duration readTimeout) throws IOException {
    return track(EchoClient.connect(address, WAIT, readTimeout));
  }

  private <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }
}
