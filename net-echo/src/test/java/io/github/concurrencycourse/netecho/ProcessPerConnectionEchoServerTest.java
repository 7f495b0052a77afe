package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.netecho.ProcessPerConnectionEchoServer.Child;
import io.github.concurrencycourse.netecho.ProcessPerConnectionEchoServer.Listener;
import io.github.concurrencycourse.testkit.EchoSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the contract does not say about {@link ProcessPerConnectionEchoServer}: every connection is
 * served by a child JVM of its own, which exits when the client leaves; the server prints the
 * seed's lines; each option is honoured or refused; and close leaves no directory behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPerConnectionEchoServerTest {

  /** Long enough for a JVM to start on a busy machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<EchoClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() throws IOException {
    for (EchoClient client : clients) {
      client.close();
    }
  }

  @Test
  void eachOpenConnectionIsServedByAChildJvmOfItsOwnThatExitsWhenTheClientLeaves()
      throws Exception {
    int count = 3;
    try (ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS)) {
      InetSocketAddress address = start(server);
      for (int i = 1; i <= count; i++) {
        EchoClient client = connect(address);
        assertThat(client.exchange("client " + i)).isEqualTo("CLIENT " + i);
      }
      await("every child to report").atMost(WAIT).until(() -> server.children().size() == count);
      List<Child> children = server.children();
      Set<Long> pids = children.stream().map(Child::pid).collect(Collectors.toSet());
      assertThat(pids).as("one child JVM per connection").hasSize(count);
      assertThat(liveDescendants()).as("children of this JVM").containsAll(pids);
      assertThat(children)
          .extracting(Child::client)
          .as("each child holds the socket of its own client")
          .containsExactlyInAnyOrderElementsOf(
              clients.stream().map(EchoClient::localAddress).toList());
      assertThat(children).extracting(Child::connection).containsExactly(1L, 2L, 3L);

      EchoClient leaving = clients.removeFirst();
      long leavingPid = childOf(server, leaving).pid();
      leaving.close();
      await("the first child to exit").atMost(WAIT).until(() -> !isAlive(leavingPid));
      await().atMost(WAIT).until(() -> server.activeConnections() == count - 1);
      assertThat(server.children()).extracting(Child::pid).doesNotContain(leavingPid);
      assertThat(clients.getFirst().exchange("still served")).isEqualTo("STILL SERVED");

      closeClients();
      await("every child to exit")
          .atMost(WAIT)
          .until(() -> pids.stream().noneMatch(ProcessPerConnectionEchoServerTest::isAlive));
      await().atMost(WAIT).until(() -> server.activeConnections() == 0);
      assertThat(server.children()).isEmpty();
      assertThat(server.totalConnections()).isEqualTo(count);
    }
  }

  @Test
  void printsTheSeedsLinesAndReportsTheCountsWhenAClientConnectsAndWhenItHasLeft()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Listener seedLines = Listener.seedLines(out);
    List<String> counts = new CopyOnWriteArrayList<>();
    Listener listener =
        new Listener() {
          @Override
          public void clientConnected(long connection, InetSocketAddress client) {
            seedLines.clientConnected(connection, client);
          }

          @Override
          public void childServing(Child child) {
            seedLines.childServing(child);
          }

          @Override
          public void clientLeft(long connection, long pid) {
            seedLines.clientLeft(connection, pid);
          }

          @Override
          public void countsChanged(long total, int alive) {
            counts.add("总的连接数:" + total + ",alive的连接数:" + alive);
          }
        };
    try (ProcessPerConnectionEchoServer server =
        new ProcessPerConnectionEchoServer(EchoServerSettings.DEFAULTS, listener)) {
      EchoClient client = connect(start(server));
      assertThat(client.exchange("hello")).isEqualTo("HELLO");
      await().atMost(WAIT).until(() -> server.children().size() == 1);
      long pid = server.children().getFirst().pid();
      InetSocketAddress local = client.localAddress();
      assertThat(counts).containsExactly("总的连接数:1,alive的连接数:1");
      client.close();
      // The counts are the last thing the listener hears of a connection.
      await().atMost(WAIT).until(() -> counts.size() == 2);

      assertThat(counts).containsExactly("总的连接数:1,alive的连接数:1", "总的连接数:1,alive的连接数:0");
      assertThat(server.activeConnections()).isZero();

      assertThat(printed.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "有客户端连接上来了.... connection 1 from 127.0.0.1:"
                  + local.getPort()
                  + "\n"
                  + "connection 1 is served by child JVM pid "
                  + pid
                  + "\n"
                  + "客户端端开... connection 1, child JVM pid "
                  + pid
                  + " exited\n");
    }
  }

  @Test
  void aChildThatIsKilledEndsOnlyItsOwnConnection() throws Exception {
    try (ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS)) {
      InetSocketAddress address = start(server);
      EchoClient victim = connect(address);
      EchoClient bystander = connect(address);
      assertThat(victim.exchange("victim")).isEqualTo("VICTIM");
      assertThat(bystander.exchange("bystander")).isEqualTo("BYSTANDER");
      await().atMost(WAIT).until(() -> server.children().size() == 2);

      ProcessHandle.of(childOf(server, victim).pid()).orElseThrow().destroyForcibly();

      assertThatThrownBy(() -> victim.exchange("still there?"))
          .as("the killed child's client loses its connection")
          .isInstanceOf(IOException.class);
      await().atMost(WAIT).until(() -> server.activeConnections() == 1);
      assertThat(bystander.exchange("still served")).isEqualTo("STILL SERVED");
      assertThat(connect(address).exchange("newcomer")).isEqualTo("NEWCOMER");
    }
  }

  @Test
  void aClientWhoseChildNeverStartedIsSaidToHaveLeftWithoutOne() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Listener.seedLines(new PrintStream(printed, true, StandardCharsets.UTF_8)).clientLeft(4, -1);

    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("客户端端开... connection 4, no child JVM started\n");
  }

  @Test
  void anIdleConnectionIsClosedByItsChildAndABusyOneIsNot() throws Exception {
    // Two seconds: the busy client's pauses, a tenth of it, must stay well below it on a loaded
    // machine, where this JVM may stall for most of a second.
    Duration idle = Duration.ofSeconds(2);
    try (ProcessPerConnectionEchoServer server =
        server(EchoServerSettings.DEFAULTS.withIdleTimeout(idle))) {
      InetSocketAddress address = start(server);
      EchoClient silent = connect(address);
      EchoClient chatty = connect(address);
      assertThat(silent.exchange("hello")).isEqualTo("HELLO");
      assertThat(chatty.exchange("hello")).isEqualTo("HELLO");
      // Taken before the silent client's last message: its child reads it later still.
      long quietSince = System.nanoTime();
      assertThat(silent.exchange("last words")).isEqualTo("LAST WORDS");
      EchoSockets.keepTalkingThrough(chatty, idle);

      assertThat(silent.readToEnd(0)).as("the silent client sees the end of the stream").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle);
      await().atMost(WAIT).until(() -> server.activeConnections() == 1);
      assertThat(chatty.exchange("served")).isEqualTo("SERVED");
    }
  }

  @Test
  void aGracefulCloseStopsAcceptingAndWaitsForEveryLiveClientToLeave() throws Exception {
    ProcessPerConnectionEchoServer server =
        server(EchoServerSettings.DEFAULTS.withGracePeriod(Duration.ofSeconds(60)));
    try {
      InetSocketAddress address = start(server);
      EchoClient first = connect(address);
      EchoClient last = connect(address);
      assertThat(first.exchange("before")).isEqualTo("BEFORE");
      assertThat(last.exchange("before")).isEqualTo("BEFORE");

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      // Probing with connections would start a child JVM for each one that got in.
      await("the listener to close").atMost(WAIT).until(() -> isFree(address));
      assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
          .isInstanceOf(ConnectException.class);

      assertThat(first.exchange("during the grace period")).isEqualTo("DURING THE GRACE PERIOD");
      first.shutdownOutput();
      assertThat(first.readToEnd(0)).isEmpty();
      await().atMost(WAIT).until(() -> server.activeConnections() == 1);
      // One client leaving does not end the grace period of the other.
      EchoSockets.keepTalkingThrough(last, Duration.ofSeconds(1));
      assertThat(closing).isNotDone();
      last.shutdownOutput();
      assertThat(last.readToEnd(0)).isEmpty();
      closing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(server.activeConnections()).isZero();
    } finally {
      server.close();
    }
  }

  @Test
  void aGracefulCloseEndsWhatIsStillOpenAtTheDeadline() throws Exception {
    Duration grace = Duration.ofMillis(300);
    ProcessPerConnectionEchoServer server =
        server(EchoServerSettings.DEFAULTS.withGracePeriod(grace));
    GracefulClose.endsWhatIsStillOpenAtTheDeadline(server, grace, connect(start(server)));
  }

  @Test
  void anInterruptedCloseEndsTheGracePeriodAtOnceAndKeepsTheInterrupt() throws Exception {
    ProcessPerConnectionEchoServer server =
        server(EchoServerSettings.DEFAULTS.withGracePeriod(Duration.ofMinutes(5)));
    try {
      EchoClient client = connect(start(server));
      assertThat(client.exchange("hello")).isEqualTo("HELLO");
      await().atMost(WAIT).until(() -> server.children().size() == 1);
      long pid = server.children().getFirst().pid();
      long before = System.nanoTime();

      boolean interruptedAfterClose = InterruptedClose.keepsTheInterrupt(server);

      assertThat(interruptedAfterClose).as("the interrupt status is kept").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(WAIT);
      assertThat(server.activeConnections()).isZero();
      assertThat(isAlive(pid)).as("the child JVM").isFalse();
      assertThat(client.readToEnd(0)).as("the client sees the end of the stream").isEmpty();
    } finally {
      server.close();
    }
  }

  @Test
  void closeRightAfterAClientArrivesLeavesNoChildBehindAndEndsTheConnection() throws Exception {
    Set<Long> before = liveDescendants();
    ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS);
    EchoClient early = connect(start(server));
    await("the connection to be accepted")
        .atMost(WAIT)
        .until(() -> server.activeConnections() == 1);

    server.close();

    assertThat(liveDescendants()).as("child JVMs left after close").isSubsetOf(before);
    assertThat(server.activeConnections()).isZero();
    assertThat(early.readToEnd(0)).as("the client sees the end of the stream").isEmpty();
  }

  @Test
  void closeLeavesNoDirectoryBehind() throws Exception {
    ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS);
    assertThat(connect(start(server)).exchange("hello")).isEqualTo("HELLO");
    assertThat(ourDirectories()).hasSize(1);

    server.close();

    assertThat(ourDirectories()).isEmpty();
  }

  @Test
  void theHandOffDirectoryIsTheUsersAloneAndADirectoryNotNamedAfterAPidIsLeftAlone()
      throws Exception {
    Path notOurs =
        Files.createTempDirectory(
            Path.of(System.getProperty("java.io.tmpdir")), "echo-process-per-connection-mine-");
    try (ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS)) {
      start(server);

      assertThat(notOurs).isDirectory();
      assertThat(ourDirectories())
          .singleElement()
          .satisfies(
              directory ->
                  assertThat(Files.getPosixFilePermissions(directory))
                      .isEqualTo(PosixFilePermissions.fromString("rwx------")));
    } finally {
      Files.delete(notOurs);
    }
  }

  @Test
  void startDeletesTheDirectoryThatAKilledServerLeftBehind() throws Exception {
    // No process can have this pid: Linux's pids stay below 2^22.
    Path abandoned =
        Files.createTempDirectory(
            Path.of(System.getProperty("java.io.tmpdir")),
            "echo-process-per-connection-999999999-");
    Files.createFile(abandoned.resolve("hand-off"));

    try (ProcessPerConnectionEchoServer server = server(EchoServerSettings.DEFAULTS)) {
      start(server);

      assertThat(abandoned).doesNotExist();
      assertThat(ourDirectories()).as("the running server's own").hasSize(1);
    }
  }

  @Test
  void refusesWorkersNamingTheModelAndTheOption() {
    assertThatThrownBy(() -> server(EchoServerSettings.DEFAULTS.withWorkers(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the process-per-connection echo server does not support --workers; it supports"
                + " --max-connections, --idle-timeout, --grace-period");
  }

  @Test
  void holdsAtMostThirtyTwoChildJvmsUnlessToldOtherwise() {
    assertThat(new ProcessPerConnectionEchoServer().maxConnections())
        .isEqualTo(ProcessPerConnectionEchoServer.DEFAULT_MAX_CONNECTIONS)
        .isEqualTo(32);
    assertThat(server(EchoServerSettings.DEFAULTS.withMaxConnections(3)).maxConnections())
        .isEqualTo(3);
  }

  @Test
  void isRegisteredAsAModelThatHandsItsServerTheSettings() {
    EchoServerSettings settings =
        new EchoServerSettings(0, 7, Duration.ofSeconds(9), Duration.ofSeconds(2));

    assertThat(
            EchoServerModels.load().find("process-per-connection").orElseThrow().create(settings))
        .isInstanceOfSatisfying(
            ProcessPerConnectionEchoServer.class,
            server -> {
              assertThat(server.settings()).isEqualTo(settings);
              assertThat(server.maxConnections()).isEqualTo(7);
            });
    assertThatThrownBy(
            () ->
                EchoServerModels.load()
                    .find("process-per-connection")
                    .orElseThrow()
                    .create(settings.withWorkers(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process-per-connection echo server does not support --workers");
  }

  private static ProcessPerConnectionEchoServer server(EchoServerSettings settings) {
    return new ProcessPerConnectionEchoServer(
        settings, new ProcessPerConnectionEchoServer.Listener() {});
  }

  private static InetSocketAddress start(ProcessPerConnectionEchoServer server) throws IOException {
    return server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private EchoClient connect(InetSocketAddress address) throws IOException {
    EchoClient client = EchoClient.connect(address, WAIT, WAIT);
    clients.add(client);
    return client;
  }

  private static Child childOf(ProcessPerConnectionEchoServer server, EchoClient client) {
    return server.children().stream()
        .filter(child -> child.client().equals(client.localAddress()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child serves " + client.localAddress()));
  }

  private static Set<Long> liveDescendants() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Whether nothing listens on {@code address}: a listener binds it. */
  private static boolean isFree(InetSocketAddress address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The private directories of this JVM's servers in the temporary directory. */
  private static List<Path> ourDirectories() throws IOException {
    String prefix = "echo-process-per-connection-" + ProcessHandle.current().pid() + "-";
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(
            Path.of(System.getProperty("java.io.tmpdir")),
            entry -> entry.getFileName().toString().startsWith(prefix))) {
      entries.forEach(found::add);
    }
    return found;
  }
}
