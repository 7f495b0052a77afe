package io.github.concurrencycourse.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Python's {@code with mutex:} for any {@link Lock}: each way of acquiring returns a {@link Held}
 * hold, and try-with-resources releases it however the block ends, by falling off its end, {@code
 * return}, {@code break} or an exception.
 *
 * <pre>{@code
 * LockGuard guard = new LockGuard(new ReentrantLock());
 * try (LockGuard.Held held = guard.lock()) {   // with mutex:
 *   int temp = n;
 *   n = temp - 1;
 * }                                            // released here, also when the block throws
 * }</pre>
 *
 * <p>It is the plain form, {@code lock.lock(); try { ... } finally { lock.unlock(); }}, written so
 * that the release cannot be forgotten or put in the wrong place: the hold exists only once the
 * lock is acquired, so a failed or interrupted acquisition releases nothing, and the release is
 * tied to the block by the compiler, not by the programmer.
 *
 * <p>The guard adds no locking of its own: mutual exclusion, reentrancy, fairness, interruption and
 * memory consistency are those of the lock it guards (for a {@link
 * java.util.concurrent.locks.ReentrantLock}: a release happens-before the next acquisition). The
 * guard is immutable and thread-safe; each {@link Held} belongs to the thread that acquired it.
 */
public final class LockGuard {

  private final Lock lock;

  /**
   * Creates a guard for {@code lock}. The lock may be used directly as well; both forms take the
   * same lock.
   *
   * @throws NullPointerException if {@code lock} is null
   */
  public LockGuard(Lock lock) {
    this.lock = Objects.requireNonNull(lock, "lock");
  }

  /** The lock this guard acquires. */
  public Lock guarded() {
    return lock;
  }

  /**
   * Acquires the lock as {@link Lock#lock()} does, waiting as long as it takes, and returns the
   * hold that releases it.
   */
  public Held lock() {
    lock.lock();
    return new Held(lock);
  }

  /**
   * Acquires the lock as {@link Lock#lockInterruptibly()} does and returns the hold that releases
   * it.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting; nothing is
   *     then held
   */
  public Held lockInterruptibly() throws InterruptedException {
    lock.lockInterruptibly();
    return new Held(lock);
  }

  /**
   * Acquires the lock if it becomes free within {@code timeout}, as {@link Lock#tryLock(long,
   * TimeUnit)} does, and returns the hold that releases it; empty if the time ran out first. A zero
   * or negative timeout tries once.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting; nothing is
   *     then held
   * @throws NullPointerException if {@code timeout} is null
   */
  public Optional<Held> tryLock(Duration timeout) throws InterruptedException {
    return lock.tryLock(saturatedNanos(timeout), TimeUnit.NANOSECONDS)
        ? Optional.of(new Held(lock))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return "LockGuard[" + lock + "]";
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return timeout.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  /**
   * One acquisition of a guarded lock, released by {@link #close()}. Belongs to the thread that
   * acquired it: close it in that thread, as the lock's {@code unlock()} requires.
   */
  public static final class Held implements AutoCloseable {

    private final Lock lock;

    // Written and read only by the owning thread.
    private boolean released;

    private Held(Lock lock) {
      this.lock = lock;
    }

    /** Whether this hold has not been released yet. */
    public boolean isHeld() {
      return !released;
    }

    /**
     * Releases this hold with the lock's {@code unlock()}; a second call does nothing, so a block
     * that releases early stays correct.
     *
     * @throws IllegalMonitorStateException if the lock refuses to be released by this thread (a
     *     {@link java.util.concurrent.locks.ReentrantLock} held by another thread does); the hold
     *     then stays valid
     */
    @Override
    public void close() {
      if (!released) {
        lock.unlock();
        released = true;
      }
    }
  }
}
