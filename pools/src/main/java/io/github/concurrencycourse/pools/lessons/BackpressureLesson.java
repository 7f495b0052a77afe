package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a pool does when work arrives faster than it is done (beyond the seed, whose {@code
 * ThreadPoolExecutor} has an unbounded work queue). One fast producer submits twenty tasks to a
 * pool of two threads, once per policy, and a table shows where each task went.
 *
 * <ul>
 *   <li><b>unbounded queue</b> ({@code Executors.newFixedThreadPool}, and Python's pool): nothing
 *       is refused, the queue holds everything the workers have not reached; memory grows with the
 *       producer's lead.
 *   <li><b>abort</b> (bounded queue of 4, {@link ThreadPoolExecutor.AbortPolicy}, the default):
 *       {@code execute} throws {@link RejectedExecutionException}; the producer must handle it.
 *   <li><b>caller-runs</b> ({@link ThreadPoolExecutor.CallerRunsPolicy}): the producer runs the
 *       refused task itself, so while it works it submits nothing: the queue never grows past its
 *       capacity and nothing is lost. This is backpressure.
 *   <li><b>discard</b> and <b>discard-oldest</b>: the refused (or the oldest queued) task is
 *       dropped silently; only counting shows it.
 * </ul>
 *
 * <p>Run it with {@code ./course run pools.backpressure}. You will see a Markdown table with, per
 * policy, the tasks completed, run by the producer, rejected with an exception, discarded silently,
 * the peak queue length and how long the producer took to submit. The exact split depends on
 * timing; what never changes is that completed + rejected + discarded = 20, that caller-runs
 * completes all 20 and that no bounded queue holds more than 4.
 */
public final class BackpressureLesson extends AbstractLesson {

  static final int WORKERS = 2;
  static final int QUEUE_CAPACITY = 4;
  static final int TASKS = 20;

  /** How the pool treats a task it has no room for. */
  enum Policy {
    UNBOUNDED_QUEUE("unbounded queue"),
    ABORT("abort"),
    CALLER_RUNS("caller-runs"),
    DISCARD("discard"),
    DISCARD_OLDEST("discard-oldest");

    final String label;

    Policy(String label) {
      this.label = label;
    }

    BlockingQueue<Runnable> queue() {
      return this == UNBOUNDED_QUEUE
          ? new LinkedBlockingQueue<>()
          : new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    }

    RejectedExecutionHandler handler() {
      return switch (this) {
        case UNBOUNDED_QUEUE, ABORT -> new ThreadPoolExecutor.AbortPolicy();
        case CALLER_RUNS -> new ThreadPoolExecutor.CallerRunsPolicy();
        case DISCARD -> new ThreadPoolExecutor.DiscardPolicy();
        case DISCARD_OLDEST -> new ThreadPoolExecutor.DiscardOldestPolicy();
      };
    }
  }

  /**
   * Where the tasks of one flood went.
   *
   * @param policy the policy
   * @param submitted tasks the producer submitted
   * @param completed tasks that ran to the end, on a worker or on the producer
   * @param ranByProducer tasks the producer ran itself (caller-runs)
   * @param rejected tasks refused with {@link RejectedExecutionException}
   * @param discarded tasks dropped without a word: submitted - completed - rejected
   * @param peakQueue the longest the work queue was after a submission
   * @param submitTime how long the producer took to submit everything
   */
  record Flood(
      Policy policy,
      int submitted,
      int completed,
      int ranByProducer,
      int rejected,
      int discarded,
      int peakQueue,
      Duration submitTime) {}

  /** What each task does; a test replaces it to hold the workers still. */
  @FunctionalInterface
  interface Work {
    void run() throws InterruptedException;
  }

  public BackpressureLesson() {
    super(
        "pools.backpressure",
        "Backpressure: a bounded work queue and the rejection policies side by side",
        beyondTheSeedAfter(SeedSection.POOLS));
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Duration work = context.pace().seconds(0.1);
    out.printf(
        "%d tasks of %d ms each, submitted at once to %d threads; bounded queues hold %d%n%n",
        TASKS, work.toMillis(), WORKERS, QUEUE_CAPACITY);
    out.println(
        "| policy | completed | ran by producer | rejected | discarded | peak queue | submit time |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Policy policy : Policy.values()) {
      Flood f = flood(policy, () -> Thread.sleep(work), () -> {});
      out.printf(
          "| %s | %d | %d | %d | %d | %d | %d ms |%n",
          policy.label,
          f.completed(),
          f.ranByProducer(),
          f.rejected(),
          f.discarded(),
          f.peakQueue(),
          f.submitTime().toMillis());
    }
  }

  /**
   * Submits {@link #TASKS} tasks doing {@code work} as fast as possible, calls {@code
   * afterSubmitting}, then waits for the pool to finish and reports where every task went.
   */
  static Flood flood(Policy policy, Work work, Runnable afterSubmitting)
      throws InterruptedException {
    Thread producer = Thread.currentThread();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger ranByProducer = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0L,
            TimeUnit.MILLISECONDS,
            policy.queue(),
            Thread.ofPlatform().name("worker-", 1).factory(),
            policy.handler());
    int rejected = 0;
    int peakQueue = 0;
    long start = System.nanoTime();
    Duration submitTime;
    try {
      for (int i = 0; i < TASKS; i++) {
        try {
          pool.execute(
              () -> {
                if (Thread.currentThread() == producer) {
                  ranByProducer.incrementAndGet();
                }
                try {
                  work.run();
                  completed.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
        } catch (RejectedExecutionException e) {
          rejected++;
        }
        peakQueue = Math.max(peakQueue, pool.getQueue().size());
      }
      submitTime = Duration.ofNanos(System.nanoTime() - start);
      afterSubmitting.run();
    } finally {
      pool.shutdown();
    }
    if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
      pool.shutdownNow();
      throw new IllegalStateException("the pool did not finish its tasks within a minute");
    }
    return new Flood(
        policy,
        TASKS,
        completed.get(),
        ranByProducer.get(),
        rejected,
        TASKS - completed.get() - rejected,
        peakQueue,
        submitTime);
  }
}
