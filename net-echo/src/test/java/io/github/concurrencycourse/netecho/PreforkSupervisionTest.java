package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parent restarts a worker that dies, and the port keeps serving; it tells its listener what it
 * sees; an interrupt stops neither a close nor a failed start from stopping every worker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PreforkSupervisionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Enough that both workers are all but certain to hold some; the test checks that they do. */
  private static final int MAX_CLIENTS = 64;

  @Test
  void sigkillOfOneWorkerLosesOnlyItsClientsAndANewWorkerTakesItsPlace() throws Exception {
    List<String> died = new CopyOnWriteArrayList<>();
    AtomicReference<String> lastCounts = new AtomicReference<>();
    PreforkEchoServer server =
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(2),
            false,
            new PreforkEchoServer.Listener() {
              @Override
              public void workerDied(String name, long pid, int exitCode) {
                died.add(name + " " + pid + " " + exitCode);
              }

              @Override
              public void countsChanged(long total, int alive) {
                lastCounts.set(total + " connections, " + alive + " alive");
              }
            });
    List<EchoClient> clients = new ArrayList<>();
    Set<Long> pidsBefore;
    Set<Long> pidsAfter;
    try {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThat(server.workerStatuses()).hasSize(2);

      // The kernel picks a worker by a hash of each connection's ports: connect until both have
      // clients.
      while (clients.size() < 4 || !bothWorkersHoldClients(server, clients.size())) {
        assertThat(clients).as("clients before both workers had two").hasSizeLessThan(MAX_CLIENTS);
        EchoClient client = EchoClient.connect(address, WAIT, WAIT);
        clients.add(client);
        assertThat(client.exchange("hello " + clients.size())).isEqualTo("HELLO " + clients.size());
      }
      List<PreforkEchoServer.WorkerStatus> statuses = server.workerStatuses();
      PreforkEchoServer.WorkerStatus victim = statuses.get(0);
      int survivors = statuses.get(1).activeConnections();
      pidsBefore = pids(statuses);

      ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();

      await("a new worker")
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(server.restarts()).isEqualTo(1);
                assertThat(server.workerStatuses()).hasSize(2);
              });
      pidsAfter = pids(server.workerStatuses());
      assertThat(pidsAfter)
          .hasSize(2)
          .doesNotContain(victim.pid())
          .containsAnyElementsOf(pidsBefore);
      assertThat(died).singleElement().asString().startsWith(victim.name() + " " + victim.pid());
      assertThat(lastCounts)
          .as("the counts heard once the dead worker's connections are closed")
          .hasValue(clients.size() + " connections, " + survivors + " alive");
      assertThat(server.workerStatuses())
          .extracting(PreforkEchoServer.WorkerStatus::name)
          .as("the replacement is the dead worker's second generation")
          .contains(victim.name() + ".2");

      int kept = 0;
      for (EchoClient client : clients) {
        try {
          assertThat(client.exchange("still there")).isEqualTo("STILL THERE");
          kept++;
        } catch (IOException lost) {
          // A client of the killed worker: its connection died with that JVM.
        }
      }
      assertThat(kept).as("clients whose worker survived keep their sessions").isEqualTo(survivors);

      for (int i = 0; i < 8; i++) {
        try (EchoClient newcomer = EchoClient.connect(address, WAIT, WAIT)) {
          assertThat(newcomer.exchange("newcomer " + i)).isEqualTo("NEWCOMER " + i);
        }
      }
      await().atMost(WAIT).until(() -> server.activeConnections() == survivors);
      assertThat(server.totalConnections())
          .as("the dead worker's connections still count in the total")
          .isEqualTo(clients.size() + 8);
    } finally {
      for (EchoClient client : clients) {
        client.close();
      }
      server.close();
    }

    assertThat(server.activeConnections()).isZero();
    assertThat(server.workerStatuses()).isEmpty();
    for (long pid : pidsAfter) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("worker %d after close", pid)
          .isEmpty();
    }
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void theListenerHearsTheWorkerListenAndTheSeedsCountsChange() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    PreforkEchoServer server =
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(1),
            false,
            new PreforkEchoServer.Listener() {
              @Override
              public void workerListening(String name, long pid) {
                heard.add(name + " listens, pid " + pid);
              }

              @Override
              public void countsChanged(long total, int alive) {
                heard.add("总的连接数:" + total + ",alive的连接数:" + alive);
              }
            });
    try {
      InetSocketAddress address = start(server);
      long pid = server.workerStatuses().getFirst().pid();
      // The supervisor tells the listener on its own thread, which may run after start returns.
      await().atMost(WAIT).until(() -> !heard.isEmpty());
      assertThat(heard).containsExactly("echo-worker-1 listens, pid " + pid);

      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        assertThat(client.exchange("hello")).isEqualTo("HELLO");
        await().atMost(WAIT).until(() -> heard.size() == 2);
      }
      await().atMost(WAIT).until(() -> heard.size() == 3);

      assertThat(heard)
          .containsExactly(
              "echo-worker-1 listens, pid " + pid, "总的连接数:1,alive的连接数:1", "总的连接数:1,alive的连接数:0");
    } finally {
      server.close();
    }
    assertThat(Thread.currentThread().isInterrupted())
        .as("a close nobody interrupted leaves no interrupt behind")
        .isFalse();
  }

  @Test
  void anInterruptedCloseKeepsTheInterruptAndStillStopsEveryWorkerAndFreesThePort()
      throws Exception {
    PreforkEchoServer server =
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(1).withGracePeriod(Duration.ofMinutes(5)),
            false,
            new PreforkEchoServer.Listener() {});
    InetSocketAddress address;
    long pid;
    try {
      address = start(server);
      pid = server.workerStatuses().getFirst().pid();

      boolean interruptedAfterClose = InterruptedClose.keepsTheInterrupt(server);

      assertThat(interruptedAfterClose).as("the interrupt status is kept").isTrue();
    } finally {
      server.close();
    }
    await("the worker to end")
        .atMost(WAIT)
        .until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    try (ServerSocket again = new ServerSocket()) {
      again.bind(address);
    }
  }

  @Test
  void aStartOnAnInterruptedThreadFailsAndLeavesNoWorker() throws Exception {
    Set<Long> before = liveChildren();
    PreforkEchoServer server =
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(1), false, new PreforkEchoServer.Listener() {});

    boolean interruptedAfterStart;
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> start(server))
          .isInstanceOf(IOException.class)
          .hasMessage("interrupted while the workers started");
    } finally {
      interruptedAfterStart = Thread.interrupted();
      server.close();
    }

    assertThat(interruptedAfterStart).as("the interrupt status is kept").isTrue();
    await("a worker that was starting to end")
        .atMost(WAIT)
        .until(() -> before.containsAll(liveChildren()));
  }

  @Test
  void aBusyPortIsReportedBeforeAnyWorkerStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      PreforkEchoServer server = new PreforkEchoServer();

      assertThatThrownBy(() -> server.start((InetSocketAddress) taken.getLocalSocketAddress()))
          .isInstanceOf(BindException.class);
      assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  private static InetSocketAddress start(PreforkEchoServer server) throws IOException {
    return server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private static Set<Long> liveChildren() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean bothWorkersHoldClients(PreforkEchoServer server, int clients) {
    // The counts travel over a pipe: use them only once they account for every client.
    await().atMost(WAIT).until(() -> server.activeConnections() == clients);
    List<PreforkEchoServer.WorkerStatus> statuses = server.workerStatuses();
    return statuses.size() == 2 && statuses.stream().allMatch(s -> s.activeConnections() >= 2);
  }

  private static Set<Long> pids(List<PreforkEchoServer.WorkerStatus> statuses) {
    return statuses.stream().map(PreforkEchoServer.WorkerStatus::pid).collect(Collectors.toSet());
  }
}
