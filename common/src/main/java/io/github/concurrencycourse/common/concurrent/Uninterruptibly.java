package io.github.concurrencycourse.common.concurrent;

import java.util.Objects;

/**
 * Waits that must end before the caller goes on, such as a process's exit or a reader thread's end
 * during a close: an interrupt is remembered, the wait goes on, and the thread's interrupt status
 * is set again once the wait is over, so the interrupt is not lost.
 *
 * <p>Use it only for waits that are known to end (a process that was killed, a thread whose channel
 * was closed): the wait cannot be cut short.
 */
public final class Uninterruptibly {

  private Uninterruptibly() {}

  /** A blocking wait that may throw {@link InterruptedException}, such as {@code thread::join}. */
  @FunctionalInterface
  public interface Wait {
    /**
     * Blocks until what is awaited has happened.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void await() throws InterruptedException;
  }

  /**
   * Runs {@code wait} until it returns without being interrupted, then sets the calling thread's
   * interrupt status if an interrupt came meanwhile.
   *
   * @throws NullPointerException if {@code wait} is null
   */
  public static void await(Wait wait) {
    Objects.requireNonNull(wait, "wait");
    boolean interrupted = false;
    while (true) {
      try {
        wait.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
