package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's {@code ThreadPoolExecutor(5)} running ten tasks that print their thread's name and the
 * process id, then {@code shutdown(wait=True)}: at most five tasks run at once, on five reused
 * threads, all in one process.
 *
 * <p>The lesson runs the seed's program twice. First as the seed writes it: submit, {@link
 * ExecutorService#shutdown()}, then {@link ExecutorService#awaitTermination} (Java's {@code
 * shutdown} does not wait; {@code awaitTermination} is the {@code wait=True} half). Then in the
 * try-with-resources form: since Java 19 an {@code ExecutorService} is {@link AutoCloseable} and
 * {@code close()} shuts down and waits, as Python's {@code with ThreadPoolExecutor(5) as pool:}.
 *
 * <p>Run it with {@code ./course run pools.thread-pool}. You will see ten lines {@code
 * name:[pool-1-thread-3],pid:[12345] is running} naming at most five threads and one pid, the most
 * tasks seen running at once (5), and {@code main} printed only after the tasks; then the same with
 * the try-with-resources pool. Each task sleeps 1 to 3 s of seed time, as in the seed.
 */
public final class ThreadPoolLesson extends AbstractLesson {

  static final int WORKERS = 5;
  static final int TASKS = 10;

  public ThreadPoolLesson() {
    super(
        "pools.thread-pool",
        "ThreadPoolExecutor(5): ten tasks on five threads, then shutdown",
        SeedSection.POOLS);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Random random = new Random();

    out.println("-- pool.shutdown() + pool.awaitTermination(): the seed's shutdown(wait=True)");
    Concurrency first = new Concurrency();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      for (int i = 0; i < TASKS; i++) {
        int seedSeconds = 1 + random.nextInt(3);
        pool.execute(() -> task(out, context.pace(), seedSeconds, first));
      }
    } finally {
      pool.shutdown();
    }
    if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
      throw new IllegalStateException("the pool's tasks did not finish");
    }
    out.println("at most " + first.most() + " tasks ran at once");
    out.println("main");

    out.println("-- try (ExecutorService pool = ...): close() shuts down and waits");
    Concurrency second = new Concurrency();
    try (ExecutorService scoped = Executors.newFixedThreadPool(WORKERS)) {
      for (int i = 0; i < TASKS; i++) {
        int seedSeconds = 1 + random.nextInt(3);
        scoped.execute(() -> task(out, context.pace(), seedSeconds, second));
      }
    }
    out.println("at most " + second.most() + " tasks ran at once");
    out.println("main");
  }

  private static void task(PrintStream out, Pace pace, int seedSeconds, Concurrency concurrency) {
    concurrency.enter();
    try {
      out.printf(
          "name:[%s],pid:[%d] is running%n",
          Thread.currentThread().getName(), ProcessHandle.current().pid());
      pace.sleepSeconds(seedSeconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      concurrency.exit();
    }
  }

  /** Counts the tasks running at once and remembers the most. */
  private static final class Concurrency {
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    void enter() {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    void exit() {
      running.decrementAndGet();
    }

    int most() {
      return most.get();
    }
  }
}
