package io.github.concurrencycourse.threads.lessons;

import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.Pace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of {@link CoroutinesLesson} that needs a JVM of its own, one whose virtual threads all
 * run on a single carrier thread ({@link #ONE_CARRIER}): concurrency inside one thread, the seed's
 * definition of a coroutine. It runs three experiments and prints each result as a line of {@link
 * OneCarrierReport}, which the lesson reads back:
 *
 * <ol>
 *   <li>ten thousand tasks that block, each recording the carrier it runs on before and after it
 *       blocks: one carrier, and about one task's time in all;
 *   <li>a CPU job of two tasks run one after the other, and again with the two switching after
 *       every step ({@code Thread.yield()}, which on one carrier hands it to the other task): the
 *       switched job is slower, since there is no IO to overlap;
 *   <li>{@link PinningProbe}: which ways of blocking pin a virtual thread to its carrier on this
 *       JDK, seen through JFR.
 * </ol>
 *
 * <p>Started by the lesson through {@code WorkerLauncher}; its argument is the lesson's pace.
 */
final class OneCarrierDemo implements WorkerTask {

  static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";
  static final String MAX_POOL_SIZE = "jdk.virtualThreadScheduler.maxPoolSize";

  /**
   * The JVM options that leave the virtual-thread scheduler one carrier thread: one to run on, and
   * no extra one even while a virtual thread is pinned.
   */
  static final List<String> ONE_CARRIER =
      List.of("-D" + PARALLELISM + "=1", "-D" + MAX_POOL_SIZE + "=1");

  /** The blocking tasks, as many as {@code threads.virtual} runs. */
  static final int TASKS = VirtualThreadsLesson.TASKS;

  /** Steps of each of the two CPU tasks. */
  static final int CPU_STEPS = 100_000;

  /** Runs of each CPU job; the best counts, as other programs only ever slow a run down. */
  static final int CPU_RUNS = 3;

  private static final double SEED_TASK_SECONDS = 1.0;
  private static final Duration SHORTEST_PINNED_SLEEP = Duration.ofMillis(10);

  /** Where the CPU tasks leave their results, so that the JIT cannot drop the work. */
  private static final AtomicLong CHECKSUM = new AtomicLong();

  @Override
  public void run(List<String> arguments) throws Exception {
    Pace pace = new Pace(Double.parseDouble(arguments.get(0)));
    System.out.println(
        "JDK "
            + Runtime.version().feature()
            + ", "
            + PARALLELISM
            + "="
            + System.getProperty(PARALLELISM)
            + ", "
            + MAX_POOL_SIZE
            + "="
            + System.getProperty(MAX_POOL_SIZE));

    System.out.println("-- 2. " + TASKS + " tasks that block, on virtual threads");
    blockingTasks(pace.seconds(SEED_TASK_SECONDS));

    System.out.println("-- 3. a CPU job, straight and switched after every step");
    cpuJob("straight", false);
    cpuJob("switched", true);

    System.out.println(
        "-- 4. what pins a virtual thread to its carrier (JFR jdk.VirtualThreadPinned)");
    if (PinningProbe.available()) {
      Duration sleep = pace.seconds(SEED_TASK_SECONDS);
      Map<String, Optional<String>> pinned =
          PinningProbe.run(
              sleep.compareTo(SHORTEST_PINNED_SLEEP) < 0 ? SHORTEST_PINNED_SLEEP : sleep);
      pinned.forEach(
          (blocking, reason) ->
              System.out.println(OneCarrierReport.formatPinned(blocking, reason)));
    } else {
      System.out.println("JFR is not available in this JVM: pinning not probed");
    }
  }

  /**
   * The carrier a virtual thread is mounted on, from its name: {@code ...@ForkJoinPool-1-worker-1}.
   */
  static String carrierOf(Thread virtualThread) {
    String description = virtualThread.toString();
    int at = description.lastIndexOf('@');
    return at < 0 ? "(not mounted)" : description.substring(at + 1);
  }

  private static void blockingTasks(Duration task) throws Exception {
    Set<String> carriers = ConcurrentHashMap.newKeySet();
    AtomicInteger blocked = new AtomicInteger();
    AtomicInteger mostBlocked = new AtomicInteger();
    Callable<Void> blockingTask =
        () -> {
          carriers.add(carrierOf(Thread.currentThread()));
          mostBlocked.accumulateAndGet(blocked.incrementAndGet(), Math::max);
          Thread.sleep(task);
          blocked.decrementAndGet();
          // Mounted again after the sleep, maybe on another carrier if there were one.
          carriers.add(carrierOf(Thread.currentThread()));
          return null;
        };
    List<Future<Void>> futures = new ArrayList<>(TASKS);
    long start = System.nanoTime();
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < TASKS; i++) {
        futures.add(perTask.submit(blockingTask));
      }
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    for (Future<Void> future : futures) {
      future.get();
    }
    System.out.println(
        OneCarrierReport.formatBlocking(
            carriers.stream().sorted().toList(), TASKS, task, mostBlocked.get(), wall));
  }

  /**
   * Runs two CPU tasks on virtual threads {@value #CPU_RUNS} times, either one after the other or
   * started together and switching after every step, and prints the best run.
   */
  private static void cpuJob(String kind, boolean switchEveryStep) throws InterruptedException {
    Duration best = null;
    long switchesOfBest = 0;
    for (int run = 0; run < CPU_RUNS; run++) {
      AtomicInteger lastRunner = new AtomicInteger(-1);
      AtomicLong handOvers = new AtomicLong();
      // Switched, the two tasks wait for each other before their first step, so that both are
      // ready to run on the carrier from the start, whenever this thread gets to start the second.
      CountDownLatch bothReady = new CountDownLatch(switchEveryStep ? 2 : 0);
      Runnable first = () -> steps(0, switchEveryStep, bothReady, lastRunner, handOvers);
      Runnable second = () -> steps(1, switchEveryStep, bothReady, lastRunner, handOvers);
      long start = System.nanoTime();
      if (switchEveryStep) {
        Thread one = Thread.ofVirtual().start(first);
        Thread other = Thread.ofVirtual().start(second);
        one.join();
        other.join();
      } else {
        Thread.ofVirtual().start(first).join();
        Thread.ofVirtual().start(second).join();
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      if (best == null || wall.compareTo(best) < 0) {
        best = wall;
        switchesOfBest = handOvers.get();
      }
    }
    System.out.println(OneCarrierReport.formatCpu(kind, CPU_STEPS, switchesOfBest, CPU_RUNS, best));
  }

  /**
   * One CPU task: {@value #CPU_STEPS} steps of arithmetic, counting each step at which the carrier
   * came from the other task, and yielding the carrier after every step if asked to.
   */
  // Thread.yield() is the switch itself here: on one carrier it hands the carrier to the other
  // virtual thread, as greenlet's switch() hands the thread to another greenlet.
  @SuppressWarnings("ThreadPriorityCheck")
  private static void steps(
      int me,
      boolean switchEveryStep,
      CountDownLatch bothReady,
      AtomicInteger lastRunner,
      AtomicLong handOvers) {
    bothReady.countDown();
    try {
      bothReady.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long x = me + 1L;
    for (int i = 0; i < CPU_STEPS; i++) {
      for (int k = 0; k < 32; k++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
      int previous = lastRunner.getAndSet(me);
      if (previous != me && previous >= 0) {
        handOvers.incrementAndGet();
      }
      if (switchEveryStep) {
        Thread.yield();
      }
    }
    CHECKSUM.addAndGet(x);
  }
}
