package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.pools.ProcessPool;
import io.github.concurrencycourse.pools.ProcessTask;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The seed's commented-out {@code ProcessPoolExecutor}, "used like the thread pool, for CPU-bound
 * work", as the course's {@link ProcessPool}: what a process pool costs and what it buys in Java.
 *
 * <p>Three parts. First the same CPU-bound job, counting the primes below 1 000 000 in 20 chunks,
 * on a thread pool and on a process pool with as many workers as there are processors (two to
 * four), three times each; the first run's wall time, the best of the other two and their ratios
 * are printed (the best, because other programs on the machine only ever slow a run down). Python
 * needs processes for this because its GIL lets one thread compute at a time; Java threads already
 * run in parallel, so the process pool buys no speed: its first run pays for starting JVMs, every
 * run for JSON and sockets. Then the seed's own task on that pool, ten times: each prints {@code
 * name:[...],pid:[...] is running} from its worker, so the pids of several processes show, none of
 * them the lesson's. Then the seed's ten tasks on a process pool of one worker, where task 3 calls
 * {@code System.exit(3)}: it kills its worker and fails with a message naming the worker and its
 * exit code, the pool starts a new worker, and the other nine tasks finish on it. One worker makes
 * the hand-over plain to see: tasks 0 to 2 ran on one pid, tasks 4 to 9 on another. That isolation
 * is what a process buys in Java.
 *
 * <p>Run it with {@code ./course run pools.process-pool}. You will see a table of {@code first run}
 * and {@code best of runs 2-3} times for {@code thread pool} and {@code process pool}, both
 * counting {@code 78498} primes, the ratio, then lines such as {@code [process-pool-1-worker-2]
 * name:[process-pool-1-worker-2],pid:[4243] is running} and {@code 10 tasks ran in 2 worker
 * processes, pids [4242, 4243]}, then {@code task 0: 2762 primes (worker pid 4242)} ... lines,
 * {@code task 3 failed: worker 'process-pool-2-worker-1' (pid 4242) died running task ...: exited
 * with code 3 ...}, and {@code tasks before the crash ran on worker pid [4242], after it on [4250]:
 * a new worker}. Only the seed's task sleeps (1 to 3 s of seed time each), so the pace changes that
 * part alone.
 */
public final class ProcessPoolLesson extends AbstractLesson {

  static final long LIMIT = 1_000_000;
  static final int CHUNKS = 20;
  static final int RUNS = 3;
  static final int SEED_TASKS = 10;
  static final int CRASHING_TASK = 3;
  static final int CRASH_EXIT_CODE = 3;

  public ProcessPoolLesson() {
    super(
        "pools.process-pool",
        "ProcessPoolExecutor: a pool of worker JVMs, its cost and its isolation",
        SeedSection.POOLS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    int workers = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    List<Chunk> chunks = chunks(LIMIT, CHUNKS);
    // Counting primes allocates next to nothing, so the workers need no parallel garbage collector,
    // and the serial one starts faster.
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .jvmOptions("-XX:+UseSerialGC")
            .output(WorkerOutput.prefixedLines(out::println))
            .build();

    out.printf(
        "-- the primes below %,d in %d chunks, on %d threads and on %d worker JVMs%n",
        LIMIT, CHUNKS, workers, workers);
    long[][] millis = new long[2][RUNS];
    try (ExecutorService threads = Executors.newFixedThreadPool(workers);
        ProcessPool processes = ProcessPool.builder().workers(workers).launcher(launcher).build()) {
      for (int run = 0; run < RUNS; run++) {
        millis[0][run] =
            timed(
                out,
                "thread pool",
                run,
                chunks,
                chunk -> threads.submit(() -> new CountPrimes().run(chunk)));
        millis[1][run] =
            timed(
                out,
                "process pool",
                run,
                chunks,
                chunk -> processes.submit(CountPrimes.class, chunk));
      }
      long threadsWarm = bestWarm(millis[0]);
      long processesWarm = bestWarm(millis[1]);
      out.printf("%-13s %10s %17s%n", "", "first run", "best of runs 2-" + RUNS);
      out.printf("%-13s %7d ms %14d ms%n", "thread pool", millis[0][0], threadsWarm);
      out.printf("%-13s %7d ms %14d ms%n", "process pool", millis[1][0], processesWarm);
      out.printf(
          "process pool / thread pool: %.1fx on the first run (JVM start included), %.1fx warm%n",
          ratio(millis[1][0], millis[0][0]), ratio(processesWarm, threadsWarm));
      out.println(
          "Java threads compute in parallel (no GIL), so processes buy no speed here: they");
      out.println("pay for starting JVMs and for JSON over sockets, and buy isolation instead.");

      out.printf(
          "-- the seed's task on the process pool: each prints its name and pid (this JVM: pid"
              + " %d)%n",
          ProcessHandle.current().pid());
      List<TaskRun> runs = seedTasks(processes, context.pace(), new Random());
      out.printf(
          "%d tasks ran in %d worker processes, pids %s%n",
          runs.size(),
          runs.stream().map(TaskRun::pid).distinct().count(),
          runs.stream().map(TaskRun::pid).distinct().sorted().toList());

      out.printf(
          "-- the seed's %d tasks on a process pool of one worker; task %d calls System.exit(%d)%n",
          SEED_TASKS, CRASHING_TASK, CRASH_EXIT_CODE);
    }
    // The crash demo measures nothing, so its workers may start as cheaply as a JVM can: no
    // optimizing compiler competing for the cores while the JVM starts.
    crashIsolation(
        out,
        launcher.toBuilder().jvmOptions("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1").build());
    out.println("main");
  }

  /**
   * The seed's ten tasks on {@code pool}: each prints {@code name:[...],pid:[...] is running} in
   * its worker, as the seed's task does, and sleeps 1 to 3 seconds of seed time. Returns where each
   * ran, in task order.
   */
  static List<TaskRun> seedTasks(ProcessPool pool, Pace pace, Random random)
      throws InterruptedException, ExecutionException {
    List<CompletableFuture<TaskRun>> futures = new ArrayList<>();
    for (int task = 0; task < SEED_TASKS; task++) {
      // The seed's time.sleep(random.randint(1, 3)).
      long millis = pace.seconds(1 + random.nextInt(3)).toMillis();
      futures.add(pool.submit(SeedTask.class, millis));
    }
    List<TaskRun> runs = new ArrayList<>();
    for (CompletableFuture<TaskRun> future : futures) {
      runs.add(future.get());
    }
    return runs;
  }

  private static void crashIsolation(PrintStream out, WorkerLauncher launcher)
      throws InterruptedException {
    List<Chunk> seedChunks = chunks(LIMIT / 4, SEED_TASKS);
    Set<Long> before = new LinkedHashSet<>();
    Set<Long> after = new LinkedHashSet<>();
    try (ProcessPool pool = ProcessPool.builder().workers(1).launcher(launcher).build()) {
      List<CompletableFuture<ChunkCount>> futures = new ArrayList<>();
      for (int task = 0; task < SEED_TASKS; task++) {
        futures.add(
            task == CRASHING_TASK
                ? pool.submit(ExitInstead.class, CRASH_EXIT_CODE)
                : pool.submit(CountPrimes.class, seedChunks.get(task)));
      }
      for (int task = 0; task < SEED_TASKS; task++) {
        try {
          ChunkCount count = futures.get(task).get();
          out.printf("task %d: %d primes (worker pid %d)%n", task, count.primes(), count.pid());
          (task < CRASHING_TASK ? before : after).add(count.pid());
        } catch (ExecutionException e) {
          out.printf("task %d failed: %s%n", task, e.getCause().getMessage());
        }
      }
    }
    out.printf(
        "tasks before the crash ran on worker pid %s, after it on %s: %s%n",
        before, after, Collections.disjoint(before, after) ? "a new worker" : "the same worker");
  }

  private static long timed(
      PrintStream out,
      String pool,
      int run,
      List<Chunk> chunks,
      Function<Chunk, Future<ChunkCount>> submit)
      throws InterruptedException, ExecutionException {
    long start = System.nanoTime();
    List<Future<ChunkCount>> futures = chunks.stream().map(submit).toList();
    long primes = 0;
    for (Future<ChunkCount> future : futures) {
      primes += future.get().primes();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.printf("%s, run %d: %d primes in %d ms%n", pool, run + 1, primes, millis);
    return millis;
  }

  /** The shortest time of the runs after the first: the least disturbed by other programs. */
  private static long bestWarm(long[] millis) {
    long best = Long.MAX_VALUE;
    for (int run = 1; run < millis.length; run++) {
      best = Math.min(best, millis[run]);
    }
    return best;
  }

  private static double ratio(long numerator, long denominator) {
    return (double) numerator / Math.max(1, denominator);
  }

  static List<Chunk> chunks(long limit, int count) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chunks.add(new Chunk(limit * i / count, limit * (i + 1) / count));
    }
    return chunks;
  }

  /**
   * The numbers {@code from <= n < to}.
   *
   * @param from the first number
   * @param to one past the last number
   */
  public record Chunk(long from, long to) {}

  /**
   * How many primes a chunk holds, and which process counted them.
   *
   * @param primes the number of primes
   * @param pid the pid of the process that counted
   */
  public record ChunkCount(long primes, long pid) {}

  /**
   * Where a seed task ran.
   *
   * @param name the name of the worker's thread that ran it
   * @param pid the worker's pid
   */
  public record TaskRun(String name, long pid) {}

  /**
   * The seed's {@code task()}: prints the current thread's name and the process id, then sleeps the
   * given number of milliseconds.
   */
  public static final class SeedTask implements ProcessTask<Long, TaskRun> {

    @Override
    public TaskRun run(Long sleepMillis) throws InterruptedException {
      TaskRun run = new TaskRun(Thread.currentThread().getName(), ProcessHandle.current().pid());
      System.out.printf("name:[%s],pid:[%d] is running%n", run.name(), run.pid());
      Thread.sleep(sleepMillis);
      return run;
    }
  }

  /** Counts the primes in a chunk by trial division: CPU-bound and nothing else. */
  public static final class CountPrimes implements ProcessTask<Chunk, ChunkCount> {

    @Override
    public ChunkCount run(Chunk chunk) {
      long primes = 0;
      for (long n = chunk.from(); n < chunk.to(); n++) {
        if (isPrime(n)) {
          primes++;
        }
      }
      return new ChunkCount(primes, ProcessHandle.current().pid());
    }

    static boolean isPrime(long n) {
      if (n < 2) {
        return false;
      }
      if (n % 2 == 0) {
        return n == 2;
      }
      for (long d = 3; d * d <= n; d += 2) {
        if (n % d == 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** Ends its worker JVM with {@code System.exit}, as a crashing task would. */
  public static final class ExitInstead implements ProcessTask<Integer, ChunkCount> {

    @Override
    public ChunkCount run(Integer exitCode) {
      System.out.println("task " + CRASHING_TASK + " calls System.exit(" + exitCode + ")");
      System.exit(exitCode);
      return new ChunkCount(0, ProcessHandle.current().pid());
    }
  }
}
