package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.DirectBufferPool;
import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the in-JVM servers promise beyond the contract and the settings: an interrupted close, a
 * close while the acceptor waits for a connection slot, a large message's borrowed buffer given
 * back, the port shared by the servers of prefork workers, and the counts reported to the worker
 * that runs the server.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatchingEchoServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.netecho.DispatchingEchoServerSettingsTest#servers")
  void anInterruptedCloseEndsTheGracePeriodAtOnceAndStillReleasesEverything(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    Duration grace = Duration.ofMinutes(5);
    DispatchingEchoServer server =
        factory.apply(EchoServerSettings.DEFAULTS.withGracePeriod(grace));
    InetSocketAddress address = start(server);
    try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
      assertThat(client.exchange("hello")).isEqualTo("HELLO");
      long before = System.nanoTime();

      boolean interruptedAfterClose = InterruptedClose.keepsTheInterrupt(server);

      assertThat(interruptedAfterClose).as("the interrupt status is kept").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(WAIT);
      assertThat(client.readToEnd(0)).as("the live connection is closed").isEmpty();
      // The interrupted close did not wait for the connection's thread, which counts it closed.
      await().atMost(WAIT).until(() -> server.activeConnections() == 0);
    } finally {
      server.close();
    }
    // The port is free: a new server binds it.
    try (DispatchingEchoServer again = factory.apply(EchoServerSettings.DEFAULTS)) {
      assertThat(again.start(address)).isEqualTo(address);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.netecho.DispatchingEchoServerSettingsTest#servers")
  void closeReturnsWhileTheAcceptorWaitsForAConnectionSlot(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    DispatchingEchoServer server = factory.apply(EchoServerSettings.DEFAULTS.withMaxConnections(1));
    try (EchoClient held = EchoClient.connect(start(server), WAIT, WAIT)) {
      assertThat(held.exchange("the only slot")).isEqualTo("THE ONLY SLOT");

      server.close();

      assertThat(server.activeConnections()).isZero();
      assertThat(held.readToEnd(0)).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.concurrencycourse.netecho.DispatchingEchoServerSettingsTest#servers")
  void aLargeMessageIsEchoedWholeAndTheBufferItBorrowedIsGivenBack(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    DirectBufferPool pool = DispatchingEchoServer.LARGE_BUFFERS;
    List<ByteBuffer> setAside = new ArrayList<>();
    while (pool.kept() > 0) {
      setAside.add(pool.take());
    }
    String message = "a large message; ".repeat(20_000);
    try (DispatchingEchoServer server = factory.apply(EchoServerSettings.DEFAULTS);
        EchoClient client = EchoClient.connect(start(server), WAIT, WAIT)) {

      assertThat(client.exchange(message)).isEqualTo(message.toUpperCase(Locale.ROOT));

      // The connection waits for its next message holding no large buffer.
      await("the large buffer back in the pool").atMost(WAIT).until(() -> pool.kept() == 1);
      assertThat(client.exchange("small again")).isEqualTo("SMALL AGAIN");
    } finally {
      setAside.forEach(pool::give);
    }
  }

  @Test
  void theServersOfPreforkWorkersShareTheirPortAndOthersCannotJoinIt() throws Exception {
    try (ThreadPerConnectionEchoServer first =
            new ThreadPerConnectionEchoServer(EchoServerSettings.DEFAULTS, true, () -> {});
        VirtualThreadEchoServer second =
            new VirtualThreadEchoServer(EchoServerSettings.DEFAULTS, true, () -> {});
        ThreadPerConnectionEchoServer outsider = new ThreadPerConnectionEchoServer()) {
      InetSocketAddress address = start(first);

      assertThat(second.start(address)).isEqualTo(address);
      assertThatThrownBy(() -> outsider.start(address)).isInstanceOf(BindException.class);
      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        assertThat(client.exchange("shared")).isEqualTo("SHARED");
      }
      await().atMost(WAIT).until(() -> first.totalConnections() + second.totalConnections() == 1);
    }
  }

  @Test
  void everyChangeOfTheCountsIsReportedAfterItHappened() throws Exception {
    AtomicReference<DispatchingEchoServer> reporting = new AtomicReference<>();
    List<String> reported = new CopyOnWriteArrayList<>();
    Runnable report =
        () ->
            reported.add(
                reporting.get().activeConnections() + " of " + reporting.get().totalConnections());
    try (VirtualThreadEchoServer server =
        new VirtualThreadEchoServer(EchoServerSettings.DEFAULTS, false, report)) {
      reporting.set(server);
      InetSocketAddress address = start(server);
      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        assertThat(client.exchange("counted")).isEqualTo("COUNTED");
        assertThat(reported).containsExactly("1 of 1");
      }
      await().atMost(WAIT).until(() -> reported.size() == 2);
      assertThat(reported).containsExactly("1 of 1", "0 of 1");
    }
  }

  private static InetSocketAddress start(DispatchingEchoServer server) throws Exception {
    return server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }
}
