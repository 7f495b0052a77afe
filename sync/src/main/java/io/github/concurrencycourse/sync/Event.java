package io.github.concurrencycourse.sync;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A flag that threads can wait for, with the semantics of Python's {@code threading.Event}: it
 * starts cleared; {@link #set()} sets it and wakes every waiting thread; {@link #clear()} resets
 * it; {@link #await()} returns at once if it is set and otherwise blocks until it is.
 *
 * <p>Unlike a {@link java.util.concurrent.CountDownLatch}, an event can be cleared and set again.
 * Every thread waiting when {@code set()} is called is released by that call, even if another
 * thread clears the event before the waiter gets to run again: the waiter returns {@code true}, as
 * Python's {@code wait} does. A thread that starts waiting after a {@code clear()} waits for the
 * next {@code set()}.
 *
 * <p>Spurious wake-ups of the underlying condition are absorbed: a waiter returns only when the
 * event was set (or its time ran out, or it was interrupted).
 *
 * <p>Memory consistency effects: actions in a thread prior to calling {@code set()} happen-before
 * actions following a successful return from {@code await} (one that returns normally, or returns
 * {@code true}) or a call to {@code isSet()} that returns {@code true} in another thread.
 *
 * <p>Thread-safe. Waiting is interruptible and blocks only the waiting thread; {@code set()} and
 * {@code clear()} never block for long.
 *
 * <pre>{@code
 * Event databaseUp = new Event();
 * // checker thread
 * databaseUp.set();
 * // connector threads
 * if (databaseUp.await(Duration.ofSeconds(3))) {
 *   connect();
 * }
 * }</pre>
 */
public final class Event {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition becameSet = lock.newCondition();

  /** Written under {@link #lock}; volatile so that {@link #isSet()} needs no lock. */
  private volatile boolean flag;

  /** Counts the sets that changed the flag, so a waiter knows it was released by one of them. */
  @GuardedBy("lock")
  private long generation;

  /** Creates an event that is not set. */
  public Event() {}

  /** Whether the event is set. Python's {@code is_set()}. */
  public boolean isSet() {
    return flag;
  }

  /** Sets the event and wakes every thread waiting for it. Does nothing if it is already set. */
  public void set() {
    lock.lock();
    try {
      if (!flag) {
        flag = true;
        generation++;
        becameSet.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Clears the event, so that later waiters block until the next {@link #set()}. */
  public void clear() {
    lock.lock();
    try {
      flag = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the event is set. Returns at once if it is set already.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting
   */
  public void await() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (flag) {
      return;
    }
    lock.lockInterruptibly();
    try {
      long mine = generation;
      while (!flag && generation == mine) {
        becameSet.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the event is set or the timeout has passed, and tells which. Python's {@code
   * wait(timeout)}. Returns at once if the event is set already; a zero or negative timeout only
   * looks at the flag.
   *
   * @return {@code true} if the event was set (now, or by a {@link #set()} during the wait), {@code
   *     false} if the time ran out first
   * @throws InterruptedException if the thread is interrupted before or while waiting
   * @throws NullPointerException if {@code unit} is null
   */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (flag) {
      return true;
    }
    long remaining = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      long mine = generation;
      while (!flag && generation == mine) {
        if (remaining <= 0) {
          return false;
        }
        remaining = becameSet.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the event is set or {@code timeout} has passed, like {@link #await(long,
   * TimeUnit)}.
   *
   * @throws NullPointerException if {@code timeout} is null
   */
  public boolean await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return await(toNanosSaturated(timeout), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return super.toString() + (flag ? "[set]" : "[not set]");
  }

  private static long toNanosSaturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
