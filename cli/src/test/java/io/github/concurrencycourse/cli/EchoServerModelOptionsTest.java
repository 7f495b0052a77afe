package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.testkit.EchoSockets;
import io.github.concurrencycourse.testkit.SharedThreads;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every echo server model on the class path — here, where the CLI's modules are all present — and
 * every option {@code course serve echo} accepts: the model either lists the option and a server it
 * creates honours it, or creating the server fails with a message naming the model and the option.
 * No option is ever silently ignored.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EchoServerModelOptionsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final EchoServerModels MODELS = EchoServerModels.load();

  /** Models that take the workers option but have exactly one worker: one polling thread. */
  private static final Set<String> ONE_WORKER_ONLY = Set.of("non-blocking");

  static Stream<Arguments> optionsEachModelRefuses() {
    return MODELS.all().stream()
        .flatMap(
            model ->
                Arrays.stream(Option.values())
                    .filter(option -> !model.supportedOptions().contains(option))
                    .map(option -> Arguments.of(model.name(), option)));
  }

  static Stream<String> modelsSupporting(Option option) {
    return MODELS.all().stream()
        .filter(model -> model.supportedOptions().contains(option))
        .map(EchoServerModel::name);
  }

  static Stream<String> modelsWithWorkers() {
    return modelsSupporting(Option.WORKERS);
  }

  static Stream<String> modelsWithAConnectionLimit() {
    return modelsSupporting(Option.MAX_CONNECTIONS);
  }

  static Stream<String> modelsWithAnIdleTimeout() {
    return modelsSupporting(Option.IDLE_TIMEOUT);
  }

  static Stream<String> modelsWithAGracePeriod() {
    return modelsSupporting(Option.GRACE_PERIOD);
  }

  @Test
  void everyModelOfTheCourseIsHere() {
    assertThat(MODELS.all())
        .extracting(EchoServerModel::name)
        .contains(
            "async",
            "blocking",
            "netty-epoll",
            "netty-io_uring",
            "netty-nio",
            "non-blocking",
            "pool",
            "prefork",
            "process-per-connection",
            "selector",
            "threads",
            "virtual");
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @MethodSource("optionsEachModelRefuses")
  void anOptionTheModelDoesNotListIsRefusedNamingTheModelAndTheOption(String name, Option option) {
    EchoServerModel model = model(name);

    assertThatThrownBy(() -> model.create(giving(option)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the " + name + " echo server does not support " + option.flag());
  }

  /**
   * Three workers start more threads or processes than one, once as many clients have come and gone
   * as the server would spread over them; a model that ignored the option would start as many for
   * both. The models in {@link #ONE_WORKER_ONLY} serve with exactly one worker and refuse three,
   * naming the option; no other model may refuse.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsWithWorkers")
  void theWorkersOptionSetsHowManyThreadsOrProcessesServe(String name) throws Exception {
    EchoServerModel model = model(name);
    int one = threadsAndProcessesServing(model, 1);

    Throwable refusal =
        catchThrowable(() -> model.create(EchoServerSettings.DEFAULTS.withWorkers(3)));
    if (ONE_WORKER_ONLY.contains(name)) {
      assertThat(refusal)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the " + name + " echo server")
          .hasMessageContaining("--workers");
      return;
    }
    assertThat(refusal).as("%s refusing 3 workers", name).isNull();
    assertThat(threadsAndProcessesServing(model, 3))
        .as("threads and processes of a %s server with 3 workers, against %d with 1", name, one)
        .isGreaterThanOrEqualTo(one + 2);
  }

  /**
   * With a limit of one connection (and one worker, where the model takes workers, since a prefork
   * server applies the limit per worker process), a second client is held unserved while the first
   * is connected, and served once it leaves.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsWithAConnectionLimit")
  void theConnectionLimitHoldsTheNextClientUntilOneLeaves(String name) throws Exception {
    EchoServerModel model = model(name);
    EchoServerSettings settings = EchoServerSettings.DEFAULTS.withMaxConnections(1);
    if (model.supportedOptions().contains(Option.WORKERS)) {
      settings = settings.withWorkers(1);
    }

    try (EchoServer server = model.create(settings);
        EchoSockets sockets = new EchoSockets(server.start(0), WAIT)) {
      long start = System.nanoTime();
      EchoClient first = sockets.connect();
      assertThat(first.exchange("first")).isEqualTo("FIRST");
      Duration served = Duration.ofNanos(System.nanoTime() - start);

      sockets.assertANewClientWaitsUntil(first, EchoSockets.quietAfter(served));
    }
  }

  /** A client silent for the idle timeout is disconnected, and not before. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsWithAnIdleTimeout")
  void theIdleTimeoutClosesASilentConnection(String name) throws Exception {
    Duration idle = Duration.ofMillis(400);

    try (EchoServer server = model(name).create(EchoServerSettings.DEFAULTS.withIdleTimeout(idle));
        EchoClient silent = EchoClient.connect(server.start(0), WAIT, WAIT)) {
      // Taken before the request: the server's silence starts when it reads it, later.
      long quietSince = System.nanoTime();
      assertThat(silent.exchange("hello")).isEqualTo("HELLO");

      assertThat(silent.readToEnd(0)).as("what the silent client reads before the end").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle);
    }
  }

  /**
   * Closing the server with a client connected stops new connections at once, goes on serving the
   * client, and ends its connection only when the grace period is over.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsWithAGracePeriod")
  void theGracePeriodLetsALiveConnectionGoOnAfterClose(String name) throws Exception {
    Duration grace = Duration.ofSeconds(1);
    EchoServer server = model(name).create(EchoServerSettings.DEFAULTS.withGracePeriod(grace));
    try (EchoClient client = EchoClient.connect(server.start(0), WAIT, WAIT)) {
      InetSocketAddress address = server.address();
      assertThat(client.exchange("before")).isEqualTo("BEFORE");
      long closeStarted = System.nanoTime();

      // A thread of its own: closing a prefork server waits for its worker JVMs to exit, which the
      // JDK reports through the common pool, so a close on that pool could hold up its own end.
      FutureTask<Void> closing = new FutureTask<>(server::close, null);
      Thread.ofPlatform().name("closing-" + name).start(closing);
      await("the listener to close")
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () -> new Socket(address.getAddress(), address.getPort()).close())
                      .isInstanceOf(ConnectException.class));
      assertThat(client.exchange("during the grace period")).isEqualTo("DURING THE GRACE PERIOD");

      assertThat(client.readToEnd(0)).as("what the client reads before the end").isEmpty();
      closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isGreaterThanOrEqualTo(grace);
    } finally {
      server.close();
    }
  }

  /**
   * The threads and processes a server of {@code model} with {@code workers} workers has started
   * once six clients have each connected, been served and left, one after another.
   */
  private static int threadsAndProcessesServing(EchoServerModel model, int workers)
      throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    int started;
    try (EchoServer server = model.create(EchoServerSettings.DEFAULTS.withWorkers(workers))) {
      InetSocketAddress address = server.start(0);
      for (int i = 0; i < 6; i++) {
        try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
          assertThat(client.exchange("client " + i)).isEqualTo("CLIENT " + i);
        }
      }
      started = before.startedSince(SharedThreads::isShared).size();
    }
    await("the server's threads and processes to end")
        .atMost(WAIT)
        .pollInSameThread()
        .until(() -> before.startedSince(SharedThreads::isShared).isEmpty());
    return started;
  }

  private static EchoServerSettings giving(Option option) {
    return switch (option) {
      case WORKERS -> EchoServerSettings.DEFAULTS.withWorkers(2);
      case MAX_CONNECTIONS -> EchoServerSettings.DEFAULTS.withMaxConnections(10);
      case IDLE_TIMEOUT -> EchoServerSettings.DEFAULTS.withIdleTimeout(Duration.ofSeconds(5));
      case GRACE_PERIOD -> EchoServerSettings.DEFAULTS.withGracePeriod(Duration.ofSeconds(1));
    };
  }

  private static EchoServerModel model(String name) {
    return MODELS.find(name).orElseThrow();
  }
}
