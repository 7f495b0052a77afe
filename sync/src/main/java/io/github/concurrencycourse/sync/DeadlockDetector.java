package io.github.concurrencycourse.sync;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds threads of this JVM that are deadlocked, through the platform's {@link ThreadMXBean}, and
 * reports each cycle: which thread holds which lock and wants which lock from whom.
 *
 * <p>Both kinds of lock are covered: object monitors ({@code synchronized}) and ownable
 * synchronizers ({@link java.util.concurrent.locks.ReentrantLock}, the write lock of a {@link
 * java.util.concurrent.locks.ReentrantReadWriteLock}), if the JVM supports monitoring the latter,
 * as HotSpot does. Not covered, because no thread owns them: {@link java.util.concurrent.Semaphore}
 * permits, a {@code CountDownLatch}, conditions and {@code Object.wait}; nor a thread that waits
 * for a lock it holds itself through a non-reentrant lock.
 *
 * <p>A deadlock stays found: once threads are in a cycle they leave it only if one of them is
 * interrupted (for interruptible locks) or the JVM ends. The detector only observes; ending the
 * deadlock is the caller's decision.
 *
 * <p>The cycles are exact: the JVM finds them at a safepoint, and a cycle is reported only if the
 * JVM named every thread in it. The threads stuck behind a cycle come from a look at every thread's
 * wait a moment later, so a thread that started waiting for a deadlocked lock after the JVM's
 * search is included, and one that stopped waiting meanwhile is not.
 *
 * <p>Thread-safe and stateless: one detector may be shared by any number of threads. {@link
 * #detect()} does not block; {@link #awaitDeadlock} blocks the caller until a deadlock is found or
 * its time runs out.
 *
 * <pre>{@code
 * DeadlockDetector detector = new DeadlockDetector();
 * detector.awaitDeadlock(Duration.ofSeconds(5))
 *     .ifPresent(report -> log.error("deadlock:{}{}", System.lineSeparator(), report));
 * }</pre>
 */
public final class DeadlockDetector {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
  private static final Duration MAX_WAIT = Duration.ofDays(365);

  private final ThreadMXBean threads;

  /** A detector for this JVM's threads. */
  public DeadlockDetector() {
    this(ManagementFactory.getThreadMXBean());
  }

  /**
   * A detector that asks {@code threads}.
   *
   * @throws NullPointerException if {@code threads} is null
   */
  public DeadlockDetector(ThreadMXBean threads) {
    this.threads = Objects.requireNonNull(threads, "threads");
  }

  /**
   * Looks once for deadlocked threads.
   *
   * @return the report, or empty if no thread of this JVM is deadlocked now
   * @throws SecurityException if a security manager denies monitoring the threads
   */
  public Optional<DeadlockReport> detect() {
    boolean synchronizers = threads.isSynchronizerUsageSupported();
    long[] deadlocked =
        synchronizers ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
    if (deadlocked == null) {
      return Optional.empty();
    }
    // The JVM's answer is exact (taken at a safepoint) but uneven about the threads stuck behind
    // a cycle: it names them only if its search happened to start from them. So the report is
    // built from every thread's wait, and a cycle counts only if the JVM named all its threads.
    Set<Long> confirmed = new HashSet<>();
    for (long id : deadlocked) {
      confirmed.add(id);
    }
    ThreadInfo[] infos =
        threads.getThreadInfo(
            threads.getAllThreadIds(), threads.isObjectMonitorUsageSupported(), synchronizers);
    Map<Long, DeadlockReport.Waiter> waiters = new HashMap<>();
    for (ThreadInfo info : infos) {
      // Null for a thread that has ended since; no owner for one that is not waiting for a lock.
      if (info != null && info.getLockOwnerId() != -1 && info.getLockName() != null) {
        waiters.put(info.getThreadId(), waiterOf(info));
      }
    }
    return reportOf(waiters, confirmed);
  }

  /**
   * Looks for deadlocked threads until some are found or {@code timeout} has passed, looking every
   * few milliseconds. A zero or negative timeout looks once.
   *
   * @return the first report found, or empty if none was found in time
   * @throws InterruptedException if the caller is interrupted while waiting
   * @throws NullPointerException if {@code timeout} is null
   */
  public Optional<DeadlockReport> awaitDeadlock(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    // Clamped, so that neither a timeout of centuries nor a hugely negative one wraps around.
    long wait = Math.max(0, Math.min(saturatedNanos(timeout), MAX_WAIT.toNanos()));
    long deadline = System.nanoTime() + wait;
    while (true) {
      Optional<DeadlockReport> report = detect();
      long left = deadline - System.nanoTime();
      if (report.isPresent() || left <= 0) {
        return report;
      }
      Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), Math.max(1, left / 1_000_000)));
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static DeadlockReport.Waiter waiterOf(ThreadInfo info) {
    List<String> held =
        Stream.concat(
                Arrays.stream(info.getLockedMonitors()),
                Arrays.stream(info.getLockedSynchronizers()))
            .map(LockInfo::toString)
            .distinct()
            .toList();
    return new DeadlockReport.Waiter(
        info.getThreadId(),
        info.getThreadName(),
        info.getLockName(),
        info.getLockOwnerId(),
        info.getLockOwnerName() == null ? "?" : info.getLockOwnerName(),
        held);
  }

  /**
   * Finds the cycles among the waits that the JVM confirmed, and the threads whose chain of waits
   * leads into one.
   */
  private static Optional<DeadlockReport> reportOf(
      Map<Long, DeadlockReport.Waiter> waiters, Set<Long> confirmed) {
    List<List<DeadlockReport.Waiter>> cycles = new ArrayList<>();
    Set<Long> inCycle = new HashSet<>();
    Set<Long> visited = new HashSet<>();
    List<Long> ids = waiters.keySet().stream().sorted().toList();
    for (long start : ids) {
      List<Long> path = new ArrayList<>();
      Long current = start;
      while (current != null && waiters.containsKey(current) && visited.add(current)) {
        path.add(current);
        current = waiters.get(current).ownerId();
      }
      int loopStart = current == null ? -1 : path.indexOf(current);
      if (loopStart >= 0) {
        List<Long> loop = new ArrayList<>(path.subList(loopStart, path.size()));
        if (confirmed.containsAll(loop)) {
          Collections.rotate(loop, -loop.indexOf(Collections.min(loop)));
          cycles.add(loop.stream().map(waiters::get).toList());
          inCycle.addAll(loop);
        }
      }
    }
    if (cycles.isEmpty()) {
      return Optional.empty();
    }
    cycles.sort(Comparator.comparingLong(cycle -> cycle.get(0).threadId()));
    List<DeadlockReport.Waiter> behind =
        ids.stream()
            .filter(id -> !inCycle.contains(id) && leadsInto(id, waiters, inCycle))
            .map(waiters::get)
            .toList();
    return Optional.of(new DeadlockReport(cycles, behind));
  }

  private static boolean leadsInto(
      long id, Map<Long, DeadlockReport.Waiter> waiters, Set<Long> inCycle) {
    Set<Long> seen = new HashSet<>();
    Long current = id;
    while (current != null && waiters.containsKey(current) && seen.add(current)) {
      current = waiters.get(current).ownerId();
      if (inCycle.contains(current)) {
        return true;
      }
    }
    return false;
  }
}
