package io.github.concurrencycourse.threads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A batch of identical tasks that do nothing but block, timed on a given executor: the workload for
 * which the seed reaches for gevent coroutines, and Java for virtual threads.
 *
 * <p>Each task sleeps for the same time, which is how a thread waiting on a socket or a database
 * looks to the scheduler: it holds a thread but no CPU. The wall time of a run therefore shows how
 * many tasks the executor can keep blocked at once, not how fast the machine is.
 *
 * <p>Immutable and thread-safe; {@link #runOn} blocks the caller until every task has finished.
 *
 * @param tasks how many tasks a run submits; positive
 * @param blockFor how long each task blocks; not negative
 */
public record BlockingWorkload(int tasks, Duration blockFor) {

  /**
   * Creates a workload.
   *
   * @throws IllegalArgumentException if {@code tasks} is not positive or {@code blockFor} is
   *     negative
   * @throws NullPointerException if {@code blockFor} is null
   */
  public BlockingWorkload {
    Objects.requireNonNull(blockFor, "blockFor");
    if (tasks <= 0) {
      throw new IllegalArgumentException("tasks must be positive, got " + tasks);
    }
    if (blockFor.isNegative()) {
      throw new IllegalArgumentException("blockFor must not be negative, got " + blockFor);
    }
  }

  /**
   * Submits every task to {@code executor}, waits until all have finished and returns the wall time
   * from the first submission to the last completion. The executor is not shut down.
   *
   * @throws InterruptedException if the caller is interrupted while waiting; the tasks not yet
   *     finished are cancelled
   * @throws ExecutionException if a task failed, which only happens if it was interrupted by
   *     somebody else
   * @throws java.util.concurrent.RejectedExecutionException if the executor refuses a task
   */
  public Duration runOn(ExecutorService executor) throws InterruptedException, ExecutionException {
    Objects.requireNonNull(executor, "executor");
    List<Callable<Void>> batch = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      batch.add(
          () -> {
            Thread.sleep(blockFor);
            return null;
          });
    }
    long start = System.nanoTime();
    List<Future<Void>> done = executor.invokeAll(batch);
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    for (Future<Void> future : done) {
      future.get();
    }
    return wall;
  }

  /**
   * The shortest possible wall time on a pool of {@code threads} threads: the tasks run in {@code
   * ceil(tasks / threads)} rounds of {@link #blockFor()} each.
   *
   * @throws IllegalArgumentException if {@code threads} is not positive
   */
  public Duration lowerBoundOn(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    long rounds = (tasks + (long) threads - 1) / threads;
    return blockFor.multipliedBy(rounds);
  }
}
