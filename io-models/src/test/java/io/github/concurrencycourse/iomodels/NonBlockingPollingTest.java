package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The polling loop of {@link NonBlockingEchoServer} as its counters show it: which turns are idle,
 * how the back-off spaces them out, the CPU time it reports, and how it ends. The echo itself is
 * {@link NonBlockingEchoServerTest}'s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonBlockingPollingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SHORT_BACK_OFF = Duration.ofMillis(1);

  @Test
  void withNoClientEveryTurnIsIdle() throws Exception {
    NonBlockingEchoServer server = new NonBlockingEchoServer(SHORT_BACK_OFF);
    try (server) {
      server.start(0);
      await().atMost(WAIT).until(() -> server.idleTurns() >= 3);
    }

    assertThat(server.idleTurns()).isEqualTo(server.loopTurns());
  }

  /**
   * One client connects, makes five exchanges one after the other and leaves: the loop moves bytes
   * in exactly seven turns, the accept, one per message (read and reply in the same turn) and the
   * end of the stream, and every other turn is idle.
   */
  @Test
  void aKnownExchangeTakesOneBusyTurnForTheAcceptEachMessageAndTheEnd() throws Exception {
    int messages = 5;
    NonBlockingEchoServer server = new NonBlockingEchoServer(SHORT_BACK_OFF);
    try (server) {
      InetSocketAddress address = server.start(0);
      try (EchoClient client = EchoClient.connect(address, WAIT, WAIT)) {
        await().atMost(WAIT).until(() -> server.activeConnections() == 1);
        // The turn that accepted may still be running: the first message must not fall into it.
        long turn = server.loopTurns();
        await().atMost(WAIT).until(() -> server.loopTurns() >= turn + 2);
        for (int i = 0; i < messages; i++) {
          assertThat(client.exchange("message " + i)).isEqualTo("MESSAGE " + i);
        }
      }
      await().atMost(WAIT).until(() -> server.activeConnections() == 0);
      long idle = server.idleTurns();
      await("idle turns after the client left").atMost(WAIT).until(() -> server.idleTurns() > idle);
    }

    assertThat(server.loopTurns() - server.idleTurns())
        .as("turns that moved bytes or connections")
        .isEqualTo(messages + 2);
  }

  @Test
  void withTheConnectionLimitReachedAndItsClientSilentTheTurnsAreIdle() throws Exception {
    try (NonBlockingEchoServer server =
        new NonBlockingEchoServer(
            EchoServerSettings.DEFAULTS.withMaxConnections(1), SHORT_BACK_OFF)) {
      InetSocketAddress address = server.start(0);
      try (EchoClient held = EchoClient.connect(address, WAIT, WAIT);
          EchoClient waiting = EchoClient.connect(address, WAIT, WAIT)) {
        assertThat(held.exchange("held")).isEqualTo("HELD");
        // The newcomer's bytes wait in the listen queue: no turn takes them.
        waiting.send("waiting");
        long idle = server.idleTurns();

        await().atMost(WAIT).until(() -> server.idleTurns() >= idle + 3);
        assertThat(server.totalConnections()).isEqualTo(1);
      }
    }
  }

  /**
   * With a back-off of 20 ms an idle loop turns about 50 times a second, not millions: the turns
   * counted over a measured interval are at most one per back-off, plus the first and the one under
   * way.
   */
  @Test
  void theBackOffParksTheLoopAfterEveryIdleTurn() throws Exception {
    Duration backOff = Duration.ofMillis(20);
    NonBlockingEchoServer server = new NonBlockingEchoServer(backOff);
    long started = System.nanoTime();
    try (server) {
      server.start(0);
      await().atMost(WAIT).until(() -> server.idleTurns() >= 5);
    }
    long elapsed = System.nanoTime() - started;

    assertThat(server.loopTurns()).isLessThanOrEqualTo(elapsed / backOff.toNanos() + 2);
  }

  @Test
  void cpuTimeIsZeroBeforeTheStartAndGrowsWhileTheLoopTurns() throws Exception {
    assumeTrue(
        ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported(),
        "this JVM does not measure thread CPU time");
    try (NonBlockingEchoServer server = new NonBlockingEchoServer(SHORT_BACK_OFF)) {
      assertThat(server.cpuTime()).isZero();

      server.start(0);

      await().atMost(WAIT).until(() -> server.cpuTime().isPositive());
    }
  }

  /**
   * A close whose wait for the polling thread is interrupted still closes the listening socket
   * before it returns, and keeps the interrupt; the thread, parked in a long back-off, ends on its
   * own a moment later.
   */
  @Test
  void anInterruptedCloseStillFreesThePortAndKeepsTheInterrupt() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    NonBlockingEchoServer server = new NonBlockingEchoServer(Duration.ofSeconds(5));
    InetSocketAddress address = server.start(0);
    await().atMost(WAIT).until(() -> server.idleTurns() >= 1);

    Thread.currentThread().interrupt();
    try {
      server.close();
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt status").isTrue();
    } finally {
      Thread.interrupted();
    }

    try (ServerSocket rebound = new ServerSocket()) {
      rebound.bind(address);
      assertThat(rebound.getLocalPort()).isEqualTo(address.getPort());
    }
    await("the polling thread to end")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(before.startedSince(name -> !name.startsWith("non-blocking-echo")))
                    .isEmpty());
  }

  @Test
  void oneWorkerIsAcceptedAndANegativeBackOffRefused() {
    try (NonBlockingEchoServer server =
        new NonBlockingEchoServer(EchoServerSettings.DEFAULTS.withWorkers(1), Duration.ZERO)) {
      assertThat(server.loopTurns()).isZero();
    }

    assertThatThrownBy(() -> new NonBlockingEchoServer(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backOff must not be negative, got PT-0.000000001S");
  }
}
