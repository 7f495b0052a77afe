package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs numbered platform threads on one piece of work, releases them at the same moment, and waits
 * until all have finished; a thread left running when the caller is interrupted is stopped before
 * this returns. Stateless and thread-safe.
 */
final class Together {

  /** The work of thread number {@code thread}, 0 to n - 1. */
  @FunctionalInterface
  interface Work {
    void run(int thread);
  }

  private Together() {}

  /**
   * Starts {@code threads} threads named {@code name-0}, {@code name-1}, ..., lets them start
   * {@code work} together, and waits for them. Everything the threads did happens-before the
   * return.
   *
   * @throws InterruptedException if interrupted while waiting; the threads are stopped first
   */
  static void run(String name, int threads, Work work) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        started.add(
            Thread.ofPlatform()
                .name(name + "-" + t)
                .start(
                    () -> {
                      try {
                        go.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                      work.run(thread);
                    }));
      }
      go.countDown();
      for (Thread thread : started) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(started);
    }
  }
}
