package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.EchoSockets;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The idle timeout and the graceful close, on each in-JVM server; the option each refuses; and the
 * registered models.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatchingEchoServerSettingsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of(
            "threads",
            (Function<EchoServerSettings, DispatchingEchoServer>)
                ThreadPerConnectionEchoServer::new),
        Arguments.of(
            "virtual",
            (Function<EchoServerSettings, DispatchingEchoServer>) VirtualThreadEchoServer::new),
        Arguments.of(
            "pool",
            (Function<EchoServerSettings, DispatchingEchoServer>)
                settings -> new PooledEchoServer(settings, PoolAdmission.waitInLine())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void anIdleConnectionIsClosedAndABusyOneIsNot(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    Duration idle = Duration.ofSeconds(1);
    try (DispatchingEchoServer server =
            factory.apply(EchoServerSettings.DEFAULTS.withIdleTimeout(idle));
        EchoClient silent = EchoClient.connect(start(server), WAIT, WAIT);
        EchoClient chatty = EchoClient.connect(server.address(), WAIT, WAIT)) {
      assertThat(silent.exchange("hello")).isEqualTo("HELLO");
      long quietSince = System.nanoTime();
      EchoSockets.keepTalkingThrough(chatty, idle);

      assertThat(silent.readToEnd(0)).as("the silent client sees the end of the stream").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle);
      await().atMost(WAIT).until(() -> server.activeConnections() == 1);
      assertThat(chatty.exchange("served")).isEqualTo("SERVED");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aGracefulCloseStopsAcceptingAndWaitsForLiveConnectionsToFinish(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    DispatchingEchoServer server = factory.apply(EchoServerSettings.DEFAULTS);
    InetSocketAddress address = start(server);
    try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
      assertThat(client.exchange("before")).isEqualTo("BEFORE");

      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(30)));
      await("the listener to close")
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> new Socket(address.getAddress(), address.getPort()).close())
                      .isInstanceOf(ConnectException.class));

      assertThat(client.exchange("during the grace period")).isEqualTo("DURING THE GRACE PERIOD");
      assertThat(closing).isNotDone();
      client.shutdownOutput();
      assertThat(client.readToEnd(0)).isEmpty();
      closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      server.close();
    }
    assertThat(server.activeConnections()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aGracefulCloseClosesWhatIsStillOpenAtTheDeadline(
      String name, Function<EchoServerSettings, DispatchingEchoServer> factory) throws Exception {
    Duration grace = Duration.ofMillis(300);
    DispatchingEchoServer server =
        factory.apply(EchoServerSettings.DEFAULTS.withGracePeriod(grace));
    try (EchoClient stays = EchoClient.connect(start(server), WAIT, WAIT)) {
      GracefulClose.endsWhatIsStillOpenAtTheDeadline(server, grace, stays);
    }
  }

  @Test
  void theServersWithoutAFixedNumberOfWorkersRefuseOneNamingTheModel() {
    EchoServerSettings workers = EchoServerSettings.DEFAULTS.withWorkers(4);

    assertThatThrownBy(() -> new ThreadPerConnectionEchoServer(workers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the threads echo server does not support --workers; it supports --max-connections,"
                + " --idle-timeout, --grace-period");
    assertThatThrownBy(() -> new VirtualThreadEchoServer(workers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the virtual echo server does not support --workers");
    assertThatThrownBy(() -> EchoServerModels.load().find("threads").orElseThrow().create(workers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the threads echo server does not support --workers");
  }

  @Test
  void everyServerIsRegisteredAsAModelThatHonoursTheSettings() {
    EchoServerModels models = EchoServerModels.load();
    EchoServerSettings settings =
        new EchoServerSettings(5, 7, Duration.ofSeconds(9), Duration.ofSeconds(2));
    EchoServerSettings noWorkers = settings.withWorkers(0);

    assertThat(models.find("threads").orElseThrow().create(noWorkers))
        .isInstanceOfSatisfying(
            ThreadPerConnectionEchoServer.class,
            s -> assertThat(s.settings()).isEqualTo(noWorkers));
    assertThat(models.find("virtual").orElseThrow().create(noWorkers))
        .isInstanceOfSatisfying(
            VirtualThreadEchoServer.class, s -> assertThat(s.settings()).isEqualTo(noWorkers));
    assertThat(models.find("pool").orElseThrow().create(settings))
        .isInstanceOfSatisfying(
            PooledEchoServer.class,
            s -> {
              assertThat(s.poolSize()).isEqualTo(5);
              assertThat(s.settings()).isEqualTo(settings);
            });
    assertThat(models.find("prefork").orElseThrow().create(settings))
        .isInstanceOfSatisfying(PreforkEchoServer.class, s -> assertThat(s.workers()).isEqualTo(5));
    assertThat(
            ((PooledEchoServer)
                    models.find("pool").orElseThrow().create(EchoServerSettings.DEFAULTS))
                .poolSize())
        .isEqualTo(PooledEchoServer.SEED_POOL_SIZE);
  }

  private static InetSocketAddress start(DispatchingEchoServer server) throws Exception {
    return server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }
}
