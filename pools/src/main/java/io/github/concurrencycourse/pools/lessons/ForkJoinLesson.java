package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.pools.ParallelSum;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

/**
 * Divide and conquer (beyond the seed): the sum of 1..2 000 000 split recursively on a {@link
 * ForkJoinPool}, compared with the same sum cut into chunks on a plain fixed pool, and with the
 * same recursion on a plain fixed pool, which starves.
 *
 * <p>A plain pool's worker that waits for a subtask just blocks; with two workers, the root task
 * and its first subtask both wait for subtasks that sit in the queue behind them, and nothing ever
 * runs again. A fork/join worker that {@code join}s an unfinished subtask runs queued subtasks
 * meanwhile (work stealing), so the same recursion finishes. The starving pool is detected by a
 * timeout and released with {@code shutdownNow()}.
 *
 * <p>Run it with {@code ./course run pools.fork-join}. You will see the three sums, all equal to
 * n(n+1)/2 = 2000001000000, with the median time of five runs each after three warm-up runs (the
 * times depend on the machine's cores and load; the sums never do), then {@code recursion on a
 * plain pool of 2: stuck (no result after 200 ms), released with shutdownNow()}.
 */
public final class ForkJoinLesson extends AbstractLesson {

  static final int N = 2_000_000;
  static final int THRESHOLD = 10_000;
  static final int PLAIN_WORKERS = 2;

  public ForkJoinLesson() {
    super(
        "pools.fork-join",
        "Fork/join: a divide-and-conquer sum, and why a plain pool cannot recurse",
        beyondTheSeedAfter(SeedSection.POOLS));
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    long[] values = LongStream.rangeClosed(1, N).toArray();
    out.printf("sum of 1..%d, expected n(n+1)/2 = %d%n", N, (long) N * (N + 1) / 2);

    int cores = Runtime.getRuntime().availableProcessors();
    try (ForkJoinPool forkJoin = new ForkJoinPool(cores);
        ExecutorService plain = Executors.newFixedThreadPool(cores)) {
      report(out, "loop on one thread", () -> ParallelSum.sequential(values, 0, values.length));
      report(
          out,
          "fork/join, threshold " + THRESHOLD,
          () -> ParallelSum.forkJoin(forkJoin, values, THRESHOLD));
      report(
          out,
          "plain pool, " + cores + " chunks",
          () -> {
            try {
              return ParallelSum.chunked(plain, values, cores);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          });
    }

    Duration patience = Duration.ofMillis(200);
    out.println(
        "recursion on a plain pool of "
            + PLAIN_WORKERS
            + ": "
            + recurseOnPlainPool(values, patience));
  }

  /**
   * Runs the fork/join recursion on a plain fixed pool, where a waiting task blocks its worker, and
   * reports whether it finished within {@code patience}.
   */
  static String recurseOnPlainPool(long[] values, Duration patience) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(PLAIN_WORKERS);
    String outcome;
    try {
      Future<Long> sum = pool.submit(() -> naiveSum(pool, values, 0, values.length));
      outcome = "finished: " + sum.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      outcome =
          "stuck (no result after " + patience.toMillis() + " ms), released with shutdownNow()";
    } catch (ExecutionException e) {
      outcome = "failed: " + e.getCause();
    } finally {
      pool.shutdownNow();
    }
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the starved pool did not stop after shutdownNow()");
    }
    return outcome;
  }

  /** The recursion written for a plain pool: submit both halves and wait. It starves the pool. */
  private static long naiveSum(ExecutorService pool, long[] values, int from, int to)
      throws InterruptedException, ExecutionException {
    if (to - from <= THRESHOLD) {
      return ParallelSum.sequential(values, from, to);
    }
    int middle = (from + to) >>> 1;
    Future<Long> left = pool.submit(() -> naiveSum(pool, values, from, middle));
    Future<Long> right = pool.submit(() -> naiveSum(pool, values, middle, to));
    return left.get() + right.get();
  }

  private static void report(PrintStream out, String how, LongSupplier sum) {
    // Three warm-up runs let the JIT compile the code before it is timed.
    long[] nanos = new long[5];
    long result = 0;
    for (int i = -3; i < nanos.length; i++) {
      long start = System.nanoTime();
      result = sum.getAsLong();
      if (i >= 0) {
        nanos[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    out.printf(
        "%-28s %d  (median of %d runs: %.2f ms)%n",
        how, result, nanos.length, nanos[nanos.length / 2] / 1e6);
  }
}
