package io.github.concurrencycourse.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Builds real deadlocks from interruptible locks, so that every test can end the deadlock it made
 * by interrupting its threads.
 */
@Timeout(30)
class DeadlockDetectorTest {

  private static final Duration FIND_WITHIN = Duration.ofSeconds(10);

  private final DeadlockDetector detector = new DeadlockDetector();
  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void endTheDeadlock() throws InterruptedException {
    for (Thread thread : started) {
      thread.interrupt();
    }
    for (Thread thread : started) {
      assertThat(thread.join(Duration.ofSeconds(10))).as(thread.getName() + " ended").isTrue();
    }
  }

  @Test
  void findsACycleOfReentrantLocksAndReportsWhoHoldsAndWantsWhat() throws InterruptedException {
    ReentrantLock lockA = new ReentrantLock();
    ReentrantLock lockB = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread first = start("first", () -> holdThenWant(lockA, lockB, bothHold));
    Thread second = start("second", () -> holdThenWant(lockB, lockA, bothHold));
    Thread third = startBehind("third", bothHold, lockA);

    assertThat(detector.awaitDeadlock(FIND_WITHIN)).isPresent();
    await().atMost(FIND_WITHIN).until(() -> lockA.hasQueuedThread(third));

    DeadlockReport report = detector.detect().orElseThrow();

    assertThat(report.cycles()).hasSize(1);
    List<DeadlockReport.Waiter> cycle = report.cycles().get(0);
    assertThat(cycle)
        .extracting(DeadlockReport.Waiter::threadName)
        .containsExactly("first", "second");
    DeadlockReport.Waiter a = cycle.get(0);
    DeadlockReport.Waiter b = cycle.get(1);
    assertThat(a.locksHeld()).singleElement().asString().contains("ReentrantLock");
    assertThat(b.locksHeld()).singleElement().asString().contains("ReentrantLock");
    assertThat(a.lockWanted()).isEqualTo(b.locksHeld().get(0));
    assertThat(b.lockWanted()).isEqualTo(a.locksHeld().get(0));
    assertThat(a.ownerId()).isEqualTo(second.threadId());
    assertThat(b.ownerName()).isEqualTo("first");

    assertThat(report.blockedBehind())
        .singleElement()
        .satisfies(
            waiter -> {
              assertThat(waiter.threadName()).isEqualTo("third");
              assertThat(waiter.locksHeld()).isEmpty();
              assertThat(waiter.lockWanted()).isEqualTo(a.locksHeld().get(0));
            });
    assertThat(report.involves(first)).isTrue();
    assertThat(report.involves(third)).isTrue();
    assertThat(report.involves(Thread.currentThread())).isFalse();
    assertThat(report.describe())
        .contains("1 deadlock cycle")
        .contains("\"first\" holds [java.util.concurrent.locks.ReentrantLock$NonfairSync@")
        .contains("held by \"second\"")
        .contains("blocked behind the cycle:");
  }

  @Test
  void cyclesAreListedByTheirLowestThreadIdWhicheverThreadLeadsIntoThem()
      throws InterruptedException {
    ReentrantLock lockX1 = new ReentrantLock();
    ReentrantLock lockX2 = new ReentrantLock();
    ReentrantLock lockY1 = new ReentrantLock();
    ReentrantLock lockY2 = new ReentrantLock();
    CountDownLatch xHold = new CountDownLatch(2);
    CountDownLatch yHold = new CountDownLatch(2);
    // Thread ids grow with creation: the thread behind cycle X is the lowest, and the search meets
    // X through it, entering X at its second thread and before it meets cycle Y.
    Thread behind = startBehind("behind-x", xHold, lockX2);
    start("y1", () -> holdThenWant(lockY1, lockY2, yHold));
    start("y2", () -> holdThenWant(lockY2, lockY1, yHold));
    start("x1", () -> holdThenWant(lockX1, lockX2, xHold));
    start("x2", () -> holdThenWant(lockX2, lockX1, xHold));
    await().atMost(FIND_WITHIN).until(() -> lockX2.hasQueuedThread(behind));
    await()
        .atMost(FIND_WITHIN)
        .until(() -> detector.detect().map(report -> report.cycles().size() == 2).orElse(false));

    DeadlockReport report = detector.detect().orElseThrow();

    assertThat(report.cycles())
        .map(cycle -> cycle.stream().map(DeadlockReport.Waiter::threadName).toList())
        .containsExactly(List.of("y1", "y2"), List.of("x1", "x2"));
    assertThat(report.blockedBehind())
        .extracting(DeadlockReport.Waiter::threadName)
        .containsExactly("behind-x");
    assertThat(report.describe())
        .startsWith("2 deadlock cycles")
        .contains("cycle 1:" + System.lineSeparator() + "  \"y1\"")
        .contains("cycle 2:" + System.lineSeparator() + "  \"x1\"");
    assertThat(report).hasToString(report.describe());
  }

  @Test
  void aLongerCycleEnteredInItsMiddleIsListedFromItsLowestThreadInWaitingOrder()
      throws InterruptedException {
    ReentrantLock lock1 = new ReentrantLock();
    ReentrantLock lock2 = new ReentrantLock();
    ReentrantLock lock3 = new ReentrantLock();
    CountDownLatch allHold = new CountDownLatch(3);
    // The lowest thread waits for the cycle's second thread, so the search enters the cycle there.
    Thread behind = startBehind("behind", allHold, lock2);
    start("t1", () -> holdThenWant(lock1, lock2, allHold));
    start("t2", () -> holdThenWant(lock2, lock3, allHold));
    start("t3", () -> holdThenWant(lock3, lock1, allHold));
    await().atMost(FIND_WITHIN).until(() -> lock2.hasQueuedThread(behind));

    DeadlockReport report = detector.awaitDeadlock(FIND_WITHIN).orElseThrow();

    assertThat(report.cycles())
        .singleElement()
        .satisfies(
            cycle ->
                assertThat(cycle)
                    .extracting(DeadlockReport.Waiter::threadName)
                    .containsExactly("t1", "t2", "t3"));
  }

  @Test
  void aThreadWaitingOutsideTheCycleIsNotBlockedBehindIt() throws InterruptedException {
    ReentrantLock lockA = new ReentrantLock();
    ReentrantLock lockB = new ReentrantLock();
    ReentrantLock busy = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    CountDownLatch busyHeld = new CountDownLatch(1);
    start(
        "holder",
        () -> {
          busy.lockInterruptibly();
          try {
            busyHeld.countDown();
            new CountDownLatch(1).await();
          } finally {
            busy.unlock();
          }
        });
    busyHeld.await();
    Thread waiter =
        start(
            "waiter",
            () -> {
              busy.lockInterruptibly();
              busy.unlock();
            });
    start("first", () -> holdThenWant(lockA, lockB, bothHold));
    start("second", () -> holdThenWant(lockB, lockA, bothHold));
    await().atMost(FIND_WITHIN).until(() -> busy.hasQueuedThread(waiter));

    DeadlockReport report = detector.awaitDeadlock(FIND_WITHIN).orElseThrow();

    assertThat(report.involves(waiter)).isFalse();
    assertThat(report.blockedBehind()).isEmpty();
    assertThat(report.describe()).doesNotContain("blocked behind");
  }

  @Test
  void findsACycleThroughAMonitorAndALock() throws InterruptedException {
    Object monitor = new Object();
    ReentrantLock lock = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    start(
        "monitor-holder",
        () -> {
          synchronized (monitor) {
            bothHold.countDown();
            bothHold.await();
            // Interruptible, so this side can give up and let the other one through.
            lock.lockInterruptibly();
            lock.unlock();
          }
        });
    start(
        "lock-holder",
        () -> {
          lock.lockInterruptibly();
          try {
            bothHold.countDown();
            bothHold.await();
            synchronized (monitor) {
              monitor.notifyAll();
            }
          } finally {
            lock.unlock();
          }
        });

    DeadlockReport report = detector.awaitDeadlock(FIND_WITHIN).orElseThrow();

    List<DeadlockReport.Waiter> cycle = report.cycles().get(0);
    assertThat(cycle)
        .extracting(DeadlockReport.Waiter::threadName)
        .containsExactly("monitor-holder", "lock-holder");
    assertThat(cycle.get(0).locksHeld()).singleElement().asString().startsWith("java.lang.Object@");
    assertThat(cycle.get(1).lockWanted()).startsWith("java.lang.Object@");
    assertThat(cycle.get(0).lockWanted()).contains("ReentrantLock");
  }

  @Test
  void aThreadWaitingForABusyLockIsNotADeadlock() throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    try {
      Thread waiter =
          start(
              "waiter",
              () -> {
                lock.lockInterruptibly();
                lock.unlock();
              });
      await().atMost(FIND_WITHIN).until(() -> lock.hasQueuedThread(waiter));

      assertThat(detector.detect()).isEmpty();
    } finally {
      lock.unlock();
    }
  }

  @Test
  void theDeadlockIsGoneOnceItsThreadsAreInterrupted() throws InterruptedException {
    ReentrantLock lockA = new ReentrantLock();
    ReentrantLock lockB = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    start("first", () -> holdThenWant(lockA, lockB, bothHold));
    start("second", () -> holdThenWant(lockB, lockA, bothHold));
    assertThat(detector.awaitDeadlock(FIND_WITHIN)).isPresent();

    endTheDeadlock();

    assertThat(detector.detect()).isEmpty();
  }

  @Test
  void awaitDeadlockGivesUpAfterItsTimeout() throws InterruptedException {
    long start = System.nanoTime();
    Optional<DeadlockReport> report = detector.awaitDeadlock(Duration.ofMillis(50));

    assertThat(report).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  @Timeout(5)
  void aTimeoutBeyondTheNanosecondRangeStillWaits() {
    // Interrupted beforehand, a waiting call throws at once, where a call that only looks returns.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> detector.awaitDeadlock(Duration.ofSeconds(Long.MAX_VALUE)))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  @Timeout(5)
  void aNegativeTimeoutLooksOnceAndReturns() throws InterruptedException {
    assertThat(detector.awaitDeadlock(Duration.ofSeconds(-1))).isEmpty();
    assertThat(detector.awaitDeadlock(Duration.ofSeconds(Long.MIN_VALUE))).isEmpty();
  }

  @Test
  void rejectsNullArguments() {
    assertThatThrownBy(() -> new DeadlockDetector(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> detector.awaitDeadlock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aReportNeedsACycle() {
    assertThatThrownBy(() -> new DeadlockReport(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private interface Body {
    void run() throws InterruptedException;
  }

  private static void holdThenWant(ReentrantLock held, ReentrantLock wanted, CountDownLatch both)
      throws InterruptedException {
    held.lockInterruptibly();
    try {
      both.countDown();
      both.await();
      wanted.lockInterruptibly();
      wanted.unlock();
    } finally {
      held.unlock();
    }
  }

  /**
   * Starts a thread that waits until the threads of a cycle hold their first locks, then waits for
   * {@code lock}, which one of them holds: blocked behind the cycle, never part of it.
   */
  private Thread startBehind(String name, CountDownLatch cycleHolds, ReentrantLock lock) {
    return start(
        name,
        () -> {
          cycleHolds.await();
          lock.lockInterruptibly();
          lock.unlock();
        });
  }

  private Thread start(String name, Body body) {
    Thread thread =
        Thread.ofPlatform()
            .name(name)
            .start(
                () -> {
                  try {
                    body.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    started.add(thread);
    return thread;
  }
}
