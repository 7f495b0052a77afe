package io.github.concurrencycourse.sync.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 信号量: a {@link Semaphore} of 5 permits lets at most five of the seed's 23 threads in at once, the
 * seed's public toilet with five stalls.
 *
 * <p>Run it with {@code ./course run sync.semaphore}. You will see the threads print {@code get sm}
 * in waves of five, three seconds apart, each line with the number of holders at that moment, never
 * more than 5. The lesson ends with the most holders it saw at once: 5.
 */
public final class SemaphoreLesson extends AbstractLesson {

  /** The seed's {@code Semaphore(5)}. */
  public static final int PERMITS = 5;

  /** The seed's 23 threads. */
  public static final int THREADS = 23;

  private static final double SEED_HOLD_SECONDS = 3;

  public SemaphoreLesson() {
    super(
        "sync.semaphore",
        "Semaphore(5) and 23 threads: at most five inside at once",
        SeedSection.SEMAPHORE);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    int most = runSeedThreads(context.out(), context.pace());
    context.out().println("most holders at once: " + most + " (permits: " + PERMITS + ")");
  }

  /**
   * Runs the seed's 23 threads, started together, through a {@code Semaphore(5)}.
   *
   * @return the most threads that held a permit at the same time
   */
  static int runSeedThreads(PrintStream out, Pace pace) throws InterruptedException {
    Semaphore sm = new Semaphore(PERMITS);
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch startTogether = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(THREADS);
    try {
      for (int i = 1; i <= THREADS; i++) {
        threads.add(
            Thread.ofPlatform()
                .name("Thread-" + i)
                .start(
                    () -> {
                      try {
                        startTogether.await();
                        sm.acquire();
                        try {
                          int now = holders.incrementAndGet();
                          most.accumulateAndGet(now, Math::max);
                          out.println(
                              Thread.currentThread().getName() + " get sm (holders: " + now + ")");
                          pace.sleepSeconds(SEED_HOLD_SECONDS);
                        } finally {
                          holders.decrementAndGet();
                          sm.release();
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      startTogether.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(threads);
    }
    return most.get();
  }
}
