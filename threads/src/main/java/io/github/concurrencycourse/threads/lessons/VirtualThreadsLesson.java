package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.threads.BlockingWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * 协程: the seed's gevent coroutines switch to another task whenever one blocks on IO; Java's virtual
 * threads do the same, without changing the blocking code.
 *
 * <p>Run it with {@code ./course run threads.virtual}. Ten thousand tasks each block for one second
 * of seed time. You will see the virtual-thread run finish in about one task's time, because every
 * blocked virtual thread gives its carrier back; the fixed pool of {@value #PLATFORM_POOL} platform
 * threads needs {@code 10000 / 1000 = 10} rounds, so about ten task times. The lesson prints both
 * wall times and their ratio. At pace 1 the platform run takes about ten seconds.
 */
public final class VirtualThreadsLesson extends AbstractLesson {

  /** How many blocking tasks each run submits. */
  public static final int TASKS = 10_000;

  /** The platform pool's size: large for a pool, yet ten rounds for ten thousand tasks. */
  public static final int PLATFORM_POOL = 1_000;

  private static final double SEED_TASK_SECONDS = 1.0;

  /** One comparison of the two runs on the same workload. */
  public record Comparison(BlockingWorkload workload, Duration virtual, Duration platform) {

    /** How many times longer the platform pool took. */
    public double ratio() {
      return (double) platform.toNanos() / Math.max(1, virtual.toNanos());
    }
  }

  public VirtualThreadsLesson() {
    super(
        "threads.virtual",
        "10 000 blocking tasks: virtual threads against a platform pool",
        SeedSection.COROUTINES);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException, ExecutionException {
    PrintStream out = context.out();
    BlockingWorkload workload = workload(context.pace());
    out.printf(
        Locale.ROOT,
        "%d tasks, each blocks for %d ms%n",
        workload.tasks(),
        workload.blockFor().toMillis());
    Comparison comparison = compare(workload);
    out.printf(
        Locale.ROOT, "virtual threads (one per task):   %6d ms%n", comparison.virtual().toMillis());
    out.printf(
        Locale.ROOT,
        "platform pool of %d threads:    %6d ms (at least %d ms: %d rounds)%n",
        PLATFORM_POOL,
        comparison.platform().toMillis(),
        workload.lowerBoundOn(PLATFORM_POOL).toMillis(),
        (TASKS + PLATFORM_POOL - 1) / PLATFORM_POOL);
    out.printf(Locale.ROOT, "ratio platform / virtual: %.1fx%n", comparison.ratio());
  }

  /** The lesson's workload at {@code pace}: {@value #TASKS} tasks of one seed second each. */
  public static BlockingWorkload workload(Pace pace) {
    return new BlockingWorkload(TASKS, pace.seconds(SEED_TASK_SECONDS));
  }

  /** Runs {@code workload} on virtual threads, then on {@value #PLATFORM_POOL} platform threads. */
  public static Comparison compare(BlockingWorkload workload)
      throws InterruptedException, ExecutionException {
    Duration virtual;
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      virtual = workload.runOn(perTask);
    }
    Duration platform;
    try (ExecutorService pool = Executors.newFixedThreadPool(PLATFORM_POOL)) {
      platform = workload.runOn(pool);
    }
    return new Comparison(workload, virtual, platform);
  }
}
