package io.github.concurrencycourse.threads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each task run through an executor started and ended, and what follows from that record in
 * counts rather than durations: how many {@linkplain #rounds() rounds} of tasks ran one after
 * another, and the {@linkplain #mostAtOnce() most tasks running at once}.
 *
 * <p>A wall time mixes the executor's behaviour with how quickly a loaded machine starts threads;
 * these counts see only the order of starts and ends. A busy machine delays every start, but it
 * adds a round only where it delays starting a task for longer than the tasks take.
 *
 * <p>Thread-safe: the tasks record themselves from any thread. Read the counts after the tasks have
 * finished.
 */
public final class TaskTimeline {

  private record Span(long start, long end) {}

  private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  /**
   * An executor that hands every task to {@code executor} and records it here. Only {@code execute}
   * and the methods built on it (submit, invokeAll) are recorded; shutting it down shuts {@code
   * executor} down.
   */
  public ExecutorService around(ExecutorService executor) {
    return new AbstractExecutorService() {
      @Override
      public void execute(Runnable task) {
        executor.execute(() -> record(task));
      }

      @Override
      public void shutdown() {
        executor.shutdown();
      }

      @Override
      public List<Runnable> shutdownNow() {
        return executor.shutdownNow();
      }

      @Override
      public boolean isShutdown() {
        return executor.isShutdown();
      }

      @Override
      public boolean isTerminated() {
        return executor.isTerminated();
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
      }
    };
  }

  /** How many tasks ran. */
  public int tasks() {
    return spans.size();
  }

  /**
   * The most tasks that ran one after another: each starting after the one before it had ended.
   * Tasks that all overlap make one round; a pool of {@code p} threads running {@code n} equal
   * tasks makes at least {@code ceil(n / p)}. Also the fewest moments that, between them, find
   * every task running, so in {@code r} rounds some moment found at least {@code tasks() / r}.
   */
  public int rounds() {
    List<Span> byEnd = new ArrayList<>(spans);
    byEnd.sort(Comparator.comparingLong(Span::end));
    int rounds = 0;
    long lastEnd = Long.MIN_VALUE;
    for (Span span : byEnd) {
      if (rounds == 0 || span.start() - lastEnd >= 0) {
        rounds++;
        lastEnd = span.end();
      }
    }
    return rounds;
  }

  /** The most tasks that were running at the same moment. */
  public int mostAtOnce() {
    return mostAtOnce.get();
  }

  private void record(Runnable task) {
    long start = System.nanoTime();
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      task.run();
    } finally {
      running.decrementAndGet();
      spans.add(new Span(start, System.nanoTime()));
    }
  }
}
