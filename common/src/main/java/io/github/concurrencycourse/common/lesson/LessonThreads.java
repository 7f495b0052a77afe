package io.github.concurrencycourse.common.lesson;

import java.time.Duration;
import java.util.Collection;

/**
 * How a lesson keeps its promise to leave no thread behind: stop the threads it started in a {@code
 * finally} block.
 *
 * <p>Stateless and safe to call from any thread.
 */
public final class LessonThreads {

  /** How long each thread may take to end after it was interrupted. */
  public static final Duration GRACE = Duration.ofSeconds(10);

  private LessonThreads() {}

  /**
   * Interrupts every thread of {@code threads} that is still alive, then waits for each to end, at
   * most {@link #GRACE} per thread; every thread must have been started. Meant for {@code finally}
   * blocks: if the caller is interrupted while it waits, it goes on waiting and restores its
   * interrupt status before returning or throwing.
   *
   * <p>When this method returns normally, every thread has ended, and all its actions happen-before
   * the return.
   *
   * @throws IllegalStateException if a thread ignores the interrupt for longer than {@link #GRACE};
   *     the threads after it are then not waited for
   * @throws IllegalThreadStateException if a thread was never started
   */
  public static void stopAll(Collection<? extends Thread> threads) {
    for (Thread thread : threads) {
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
    boolean interrupted = false;
    try {
      for (Thread thread : threads) {
        while (true) {
          try {
            if (!thread.join(GRACE)) {
              throw new IllegalStateException(thread.getName() + " did not end within " + GRACE);
            }
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
