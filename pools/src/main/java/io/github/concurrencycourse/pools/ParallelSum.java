package io.github.concurrencycourse.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;

/**
 * The sum of a {@code long[]}, computed two ways: divide-and-conquer on a {@link ForkJoinPool}, and
 * fixed chunks on a plain {@link ExecutorService}. Sums wrap on overflow, as {@code +} on {@code
 * long} does, so every way gives the same result as a sequential loop.
 *
 * <p>The fork/join form splits a range in halves until it is no longer than {@code threshold},
 * forks one half and computes the other itself; a worker that {@code join}s a subtask not yet done
 * runs other queued subtasks meanwhile (work stealing), so recursion never starves the pool however
 * deep it goes. The plain-pool form must not recurse: a task that submits subtasks to its own
 * bounded pool and waits for them can block every worker (see the {@code pools.fork-join} lesson),
 * so it cuts the array into a fixed number of chunks up front.
 *
 * <p>Both methods are thread-safe provided nobody writes to the array while they run; they block
 * the calling thread until the sum is known.
 */
public final class ParallelSum {

  private ParallelSum() {}

  /**
   * Sums {@code values} by divide-and-conquer on {@code pool}.
   *
   * @param threshold the longest range summed without splitting it further; at least 1
   * @throws IllegalArgumentException if {@code threshold} is less than 1
   * @throws NullPointerException if {@code pool} or {@code values} is null
   */
  public static long forkJoin(ForkJoinPool pool, long[] values, int threshold) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(values, "values");
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    return pool.invoke(new RangeSum(values, 0, values.length, threshold));
  }

  /**
   * Sums {@code values} as {@code chunks} ranges of nearly equal length, one task each, on {@code
   * pool}.
   *
   * @throws IllegalArgumentException if {@code chunks} is less than 1
   * @throws NullPointerException if {@code pool} or {@code values} is null
   * @throws InterruptedException if interrupted while waiting; the chunks' tasks are then cancelled
   */
  public static long chunked(ExecutorService pool, long[] values, int chunks)
      throws InterruptedException {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(values, "values");
    if (chunks < 1) {
      throw new IllegalArgumentException("chunks must be at least 1, got " + chunks);
    }
    List<Future<Long>> parts = new ArrayList<>(chunks);
    try {
      for (int c = 0; c < chunks; c++) {
        int from = (int) ((long) values.length * c / chunks);
        int to = (int) ((long) values.length * (c + 1) / chunks);
        parts.add(pool.submit(() -> sequential(values, from, to)));
      }
      long sum = 0;
      for (Future<Long> part : parts) {
        sum += part.get();
      }
      return sum;
    } catch (ExecutionException e) {
      // sequential() throws nothing checked; an Error or RuntimeException is passed on as itself.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e.getCause();
    } finally {
      for (Future<Long> part : parts) {
        part.cancel(true);
      }
    }
  }

  /** Sums {@code values[from..to)} in a loop on the calling thread. */
  public static long sequential(long[] values, int from, int to) {
    Objects.checkFromToIndex(from, to, values.length);
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum;
  }

  private static final class RangeSum extends RecursiveTask<Long> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: the task lives only inside one pool.invoke()
    private final long[] values;

    private final int from;
    private final int to;
    private final int threshold;

    RangeSum(long[] values, int from, int to, int threshold) {
      this.values = values;
      this.from = from;
      this.to = to;
      this.threshold = threshold;
    }

    @Override
    protected Long compute() {
      if (to - from <= threshold) {
        return sequential(values, from, to);
      }
      int middle = (from + to) >>> 1;
      RangeSum left = new RangeSum(values, from, middle, threshold);
      RangeSum right = new RangeSum(values, middle, to, threshold);
      left.fork();
      long rightSum = right.compute();
      return left.join() + rightSum;
    }
  }
}
