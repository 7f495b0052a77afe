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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parent restarts a worker that dies, and the port keeps serving. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PreforkSupervisionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Enough that both workers are all but certain to hold some; the test checks that they do. */
  private static final int MAX_CLIENTS = 64;

  @Test
  void sigkillOfOneWorkerLosesOnlyItsClientsAndANewWorkerTakesItsPlace() throws Exception {
    List<String> died = new CopyOnWriteArrayList<>();
    PreforkEchoServer server =
        new PreforkEchoServer(
            EchoServerSettings.DEFAULTS.withWorkers(2),
            false,
            new PreforkEchoServer.Listener() {
              @Override
              public void workerDied(String name, long pid, int exitCode) {
                died.add(name + " " + pid + " " + exitCode);
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
  void aBusyPortIsReportedBeforeAnyWorkerStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      PreforkEchoServer server = new PreforkEchoServer();

      assertThatThrownBy(() -> server.start((InetSocketAddress) taken.getLocalSocketAddress()))
          .isInstanceOf(BindException.class);
      assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }
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
