package io.github.concurrencycourse.sync.lessons;

import java.time.Duration;
import java.util.List;

/** How the lessons of this package make sure that they leave no thread behind. */
final class LessonThreads {

  private static final Duration GRACE = Duration.ofSeconds(10);

  private LessonThreads() {}

  /**
   * Interrupts every thread still alive and waits (bounded) for all of them to end. Used in {@code
   * finally} blocks, so it finishes its wait even if the caller is interrupted, and restores the
   * caller's interrupt status afterwards.
   *
   * @throws IllegalStateException if a thread ignores the interrupt for longer than the grace time
   */
  static void stopAll(List<Thread> threads) {
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
