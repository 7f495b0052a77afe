package io.github.concurrencycourse.sync;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What {@link DeadlockDetector} found: the cycles of threads that wait for each other's locks, and
 * the threads that are merely stuck behind such a cycle.
 *
 * <p>Each cycle lists its threads in wait order, starting with the thread of the lowest id: every
 * thread wants a lock held by the next one, and the last wants a lock held by the first. A lock is
 * named as the JVM names it, {@code class@identityHashCode}; for a {@link
 * java.util.concurrent.locks.ReentrantLock} that is its internal synchronizer, such as {@code
 * java.util.concurrent.locks.ReentrantLock$NonfairSync@1b6d3586}.
 *
 * <p>A snapshot: immutable and thread-safe. {@link #toString()} is {@link #describe()}.
 *
 * @param cycles the deadlock cycles, at least one
 * @param blockedBehind threads that wait, directly or through others, for a lock held in a cycle,
 *     without being part of one
 */
public record DeadlockReport(List<List<Waiter>> cycles, List<Waiter> blockedBehind) {

  /**
   * One thread that waits for a lock.
   *
   * @param threadId the thread's id
   * @param threadName the thread's name
   * @param lockWanted the lock the thread waits to acquire
   * @param ownerId the id of the thread that holds {@code lockWanted}
   * @param ownerName the name of that thread
   * @param locksHeld the monitors and ownable synchronizers (such as {@code ReentrantLock}s) the
   *     thread holds
   */
  public record Waiter(
      long threadId,
      String threadName,
      String lockWanted,
      long ownerId,
      String ownerName,
      List<String> locksHeld) {

    /** Creates a waiter; the list of locks is copied. */
    public Waiter {
      Objects.requireNonNull(threadName, "threadName");
      Objects.requireNonNull(lockWanted, "lockWanted");
      Objects.requireNonNull(ownerName, "ownerName");
      locksHeld = List.copyOf(locksHeld);
    }

    /** One line: who holds what and wants what from whom. */
    public String describe() {
      return "\""
          + threadName
          + "\" holds "
          + locksHeld
          + " and wants "
          + lockWanted
          + ", held by \""
          + ownerName
          + "\"";
    }
  }

  /**
   * Creates a report; the lists are copied.
   *
   * @throws IllegalArgumentException if there is no cycle or a cycle is empty
   */
  public DeadlockReport {
    cycles = cycles.stream().map(List::copyOf).toList();
    blockedBehind = List.copyOf(blockedBehind);
    if (cycles.isEmpty() || cycles.stream().anyMatch(List::isEmpty)) {
      throw new IllegalArgumentException("a deadlock report needs at least one non-empty cycle");
    }
  }

  /** The ids of every thread in the report, in cycles or behind them. */
  public List<Long> threadIds() {
    return Stream.concat(cycles.stream().flatMap(List::stream), blockedBehind.stream())
        .map(Waiter::threadId)
        .toList();
  }

  /** Whether {@code thread} is part of a cycle or blocked behind one. */
  public boolean involves(Thread thread) {
    return threadIds().contains(thread.threadId());
  }

  /** A jstack-like text of the report, one thread per line. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append(cycles.size() == 1 ? "1 deadlock cycle" : cycles.size() + " deadlock cycles");
    for (int i = 0; i < cycles.size(); i++) {
      text.append(System.lineSeparator()).append("cycle ").append(i + 1).append(':');
      for (Waiter waiter : cycles.get(i)) {
        text.append(System.lineSeparator()).append("  ").append(waiter.describe());
      }
    }
    if (!blockedBehind.isEmpty()) {
      text.append(System.lineSeparator()).append("blocked behind the cycle:");
      for (Waiter waiter : blockedBehind) {
        text.append(System.lineSeparator()).append("  ").append(waiter.describe());
      }
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
