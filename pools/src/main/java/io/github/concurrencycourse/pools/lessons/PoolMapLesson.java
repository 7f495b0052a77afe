package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.pools.ExecutorMap;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The seed's {@code pool.map(task, range(10))}, which replaces a {@code for} loop of {@code
 * submit}s, as the course's {@link ExecutorMap}: results in input order, read lazily, with a bound
 * on the tasks in flight.
 *
 * <p>Three parts. Ten tasks on a pool of five, each sleeping 1 to 3 s of seed time: they finish in
 * any order, the results come out in input order. An endless input mapped with at most five tasks
 * in flight: after twelve results only seventeen inputs have been read, where Python's {@code map}
 * would try to submit them all. A task that throws: its exception surfaces when its result is
 * reached, after the results before it, and the tasks after it are cancelled.
 *
 * <p>Run it with {@code ./course run pools.map}. You will see {@code
 * name:[pool-1-thread-2],pid:[..] is running task 7} lines in a scrambled order, then {@code result
 * 0 -> 0} ... {@code result 9 -> 81} in order; then {@code 12 results, 17 inputs read}; then {@code
 * result 0} to {@code 3} and {@code task 4 failed: IllegalArgumentException: no square for 4}.
 */
public final class PoolMapLesson extends AbstractLesson {

  static final int WORKERS = 5;
  static final int MAX_IN_FLIGHT = 5;

  public PoolMapLesson() {
    super(
        "pools.map",
        "map instead of for + submit: ordered, lazy and bounded",
        SeedSection.POOL_MAP);
  }

  @Override
  public void run(LessonContext context) {
    PrintStream out = context.out();
    Pace pace = context.pace();
    Random random = new Random();
    try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
      out.println("-- ExecutorMap.map(pool, task, range(10), 5): finished in any order,");
      out.println("   handed out in input order");
      try (ExecutorMap<Integer> results =
          ExecutorMap.map(
              pool,
              (Integer n) -> {
                out.printf(
                    "name:[%s],pid:[%d] is running task %d%n",
                    Thread.currentThread().getName(), ProcessHandle.current().pid(), n);
                sleep(pace, 1 + random.nextInt(3));
                return n * n;
              },
              range(10),
              MAX_IN_FLIGHT)) {
        for (int n = 0; results.hasNext(); n++) {
          out.printf("result %d -> %d%n", n, results.next());
        }
      }

      out.println("-- an endless input, at most " + MAX_IN_FLIGHT + " tasks in flight");
      AtomicInteger read = new AtomicInteger();
      Iterable<Integer> naturals = () -> countingNaturals(read);
      try (ExecutorMap<Integer> results = ExecutorMap.map(pool, n -> n * n, naturals, 5)) {
        int taken = 0;
        while (taken < 12) {
          results.next();
          taken++;
        }
        out.printf("%d results, %d inputs read%n", taken, read.get());
      }

      out.println("-- a task that throws: its exception comes at its place in the order");
      try (ExecutorMap<Integer> results =
          ExecutorMap.map(
              pool,
              (Integer n) -> {
                if (n == 4) {
                  throw new IllegalArgumentException("no square for " + n);
                }
                return n * n;
              },
              range(8),
              MAX_IN_FLIGHT)) {
        int n = 0;
        try {
          for (; results.hasNext(); n++) {
            out.printf("result %d -> %d%n", n, results.next());
          }
        } catch (CompletionException failed) {
          Throwable cause = failed.getCause();
          out.printf(
              "task %d failed: %s: %s%n", n, cause.getClass().getSimpleName(), cause.getMessage());
          out.println(
              "results after it: " + (results.hasNext() ? "still coming" : "none (closed)"));
        }
      }
    }
    out.println("main");
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  private static Iterator<Integer> countingNaturals(AtomicInteger read) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return read.getAndIncrement();
      }
    };
  }

  private static void sleep(Pace pace, double seedSeconds) {
    try {
      pace.sleepSeconds(seedSeconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
