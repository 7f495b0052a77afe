package io.github.concurrencycourse.pools;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.launch.CreatableByName;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * A pool of reusable worker JVMs, the Java counterpart of Python's {@code ProcessPoolExecutor}: at
 * most {@code workers} tasks run at once, each in a child JVM that runs task after task.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.builder().workers(4).build()) {
 *   CompletableFuture<Long> primes = pool.submit(CountPrimes.class, new PrimeRange(0, 1_000_000));
 *   System.out.println(primes.join());
 * }
 * }</pre>
 *
 * <p><b>Why not an {@link ExecutorService}.</b> An executor takes any {@code Runnable}, and a
 * lambda or an object graph cannot be shipped to another JVM honestly. A task here is a {@link
 * ProcessTask} class, named in the worker, with an argument and a result that travel as JSON. The
 * life cycle is {@code ExecutorService}'s: {@link #shutdown()}, {@link #shutdownNow()}, {@link
 * #awaitTermination(long, TimeUnit)}, {@link #isShutdown()}, {@link #isTerminated()} and {@link
 * #close()} mean what they mean there.
 *
 * <p><b>Workers.</b> Started with {@link WorkerLauncher} as daemon workers, so none outlives this
 * JVM, however it ends: a worker halts within about 100 ms of losing its parent. Each worker is
 * started with {@link WorkerLauncher#startConnected} and talks to the pool over its own {@link
 * io.github.concurrencycourse.common.launch.MessageChannel}, one task and its reply at a time, so
 * whatever a task prints goes to the workers' {@code WorkerOutput} and never into a message. The
 * pool starts its workers as it is built, without waiting for them; a worker JVM takes about a
 * second to be ready (the JVM, then Jackson's initialisation), longer on a busy machine.
 *
 * <p><b>Failures stay with their task.</b>
 *
 * <ul>
 *   <li>A task that throws fails its future with a {@link RemoteTaskException} holding the remote
 *       stack trace; the worker survives and serves the next task.
 *   <li>A worker that dies while running a task ({@code System.exit}, a signal such as SIGKILL, an
 *       {@link OutOfMemoryError}, which halts it with {@link #EXIT_OUT_OF_MEMORY}) fails that task
 *       only, with a {@link WorkerDiedException} naming the worker, its pid and how it ended. The
 *       next task gets a new worker; the pool keeps serving. A worker found dead before a task is
 *       handed to it is replaced without failing any task; one that dies at the moment a task is
 *       handed to it fails that task.
 *   <li>A worker JVM that cannot start, or does not connect within 60 seconds, fails the task it
 *       was started for with a {@link WorkerDiedException}; the next task tries a new JVM.
 * </ul>
 *
 * <p><b>Futures.</b> {@link #submit} returns a {@link CompletableFuture}. Cancelling it before the
 * task starts means the task never runs; cancelling it while the task runs kills that task's
 * worker, the process counterpart of an interrupt, and the pool replaces the worker. Actions in a
 * thread before {@code submit} happen-before the task starts; the result is a copy made when the
 * task returned.
 *
 * <p>Thread-safe: any thread may submit, shut down or close. The pool's own threads are daemon
 * threads, so a forgotten pool does not keep this JVM alive (and its workers then die with it).
 */
public final class ProcessPool implements AutoCloseable {

  /**
   * The exit code of a worker that halted after an {@link OutOfMemoryError}. Distinct from {@link
   * WorkerProcess}'s own exit codes 1, 2 and 3.
   */
  public static final int EXIT_OUT_OF_MEMORY = 4;

  private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();

  /** Tells a slot to retire its worker and end; queued once per slot behind all real tasks. */
  static final Submission<Void> STOP = new Submission<>(0, Object.class, null, null, null);

  private final String name;
  private final int workers;
  private final WorkerLauncher launcher;
  private final BlockingQueue<Submission<?>> queue = new LinkedBlockingQueue<>();

  /** Filled once, before build() returns; copy-on-write so any thread sees it whole. */
  private final List<WorkerSlot> slots = new CopyOnWriteArrayList<>();

  private final AtomicInteger workerNumbers = new AtomicInteger();
  private final AtomicLong taskIds = new AtomicLong();
  private final AtomicInteger liveSlots = new AtomicInteger();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private State state = State.RUNNING;

  private enum State {
    RUNNING,
    SHUTDOWN,
    STOP
  }

  private ProcessPool(Builder builder) {
    this.name =
        builder.name != null ? builder.name : "process-pool-" + POOL_NUMBERS.incrementAndGet();
    this.workers = builder.workers;
    this.launcher =
        builder.launcher.toBuilder().daemon(true).connectTimeout(WorkerSlot.START_TIMEOUT).build();
  }

  /**
   * A builder with the defaults: one worker per available processor, workers' output inherited, no
   * JVM options.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The pool's name, the prefix of its workers' names ({@code process-pool-1-worker-3}). */
  public String name() {
    return name;
  }

  /** How many tasks run at once, at most. */
  public int workers() {
    return workers;
  }

  /**
   * Queues {@code task} to run in a worker JVM with a JSON copy of {@code argument}. Returns at
   * once; the argument is copied before this method returns, so later changes to it do not reach
   * the task.
   *
   * @return a future completed with a JSON copy of the task's result; failed with a {@link
   *     RemoteTaskException} if the task threw, a {@link WorkerDiedException} if its worker died or
   *     could not start, a {@link JacksonException} if the result cannot be read as {@code R}, or
   *     cancelled by {@link #shutdownNow()}
   * @throws IllegalArgumentException if {@code task} cannot be created by name in another JVM, does
   *     not give its type arguments, or {@code argument} does not survive a trip through JSON as
   *     {@code A}; nothing is queued
   * @throws RejectedExecutionException if the pool is shut down; nothing is queued
   */
  public <A, R> CompletableFuture<R> submit(Class<? extends ProcessTask<A, R>> task, A argument) {
    Objects.requireNonNull(task, "task");
    CreatableByName.require(task, ProcessTask.class);
    JavaType[] types = ProcessPoolWorker.taskTypes(task);
    JsonNode json;
    try {
      json = ProcessPoolWorker.JSON.valueToTree(argument);
      ProcessPoolWorker.JSON.treeToValue(json, types[0]);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "the argument of "
              + task.getName()
              + " cannot travel as JSON to "
              + types[0]
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    Submission<R> submission =
        new Submission<>(taskIds.incrementAndGet(), task, json, types[1], new TaskFuture<>());
    lock.lock();
    try {
      if (state != State.RUNNING) {
        throw new RejectedExecutionException(
            name + " is shut down; " + task.getName() + " was not queued");
      }
      queue.add(submission);
    } finally {
      lock.unlock();
    }
    return submission.future();
  }

  /**
   * Starts an orderly shutdown: tasks already submitted run, new ones are rejected, and each worker
   * exits once the queue is empty. Does not wait; see {@link #awaitTermination(long, TimeUnit)}.
   * Idempotent.
   */
  public void shutdown() {
    lock.lock();
    try {
      if (state == State.RUNNING) {
        state = State.SHUTDOWN;
        queueStops();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops at once: rejects new tasks, cancels the queued ones and kills every worker, which fails
   * the running tasks with a {@link WorkerDiedException}. Does not wait for the workers to exit;
   * see {@link #awaitTermination(long, TimeUnit)}.
   *
   * @return the futures of the tasks that never started, now cancelled
   */
  public List<CompletableFuture<?>> shutdownNow() {
    List<CompletableFuture<?>> neverStarted = new ArrayList<>();
    lock.lock();
    try {
      state = State.STOP;
      List<Submission<?>> queued = new ArrayList<>();
      queue.drainTo(queued);
      for (Submission<?> submission : queued) {
        if (!submission.isStop()) {
          neverStarted.add(submission.future());
        }
      }
      queueStops();
    } finally {
      lock.unlock();
    }
    neverStarted.forEach(future -> future.cancel(false));
    slots.forEach(WorkerSlot::killWorker);
    return neverStarted;
  }

  /** Whether {@link #shutdown()} or {@link #shutdownNow()} has been called. */
  public boolean isShutdown() {
    lock.lock();
    try {
      return state != State.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the pool has shut down and every worker JVM has exited, every task has finished and the
   * pool's threads and channels are gone.
   */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /**
   * Waits until the pool {@linkplain #isTerminated() has terminated} after a shutdown, or the time
   * is up.
   *
   * @return {@code true} if terminated, {@code false} if the time ran out first
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /**
   * Shuts down and waits for the pool to terminate, as {@link ExecutorService#close()} does: the
   * submitted tasks run first. If interrupted while waiting it calls {@link #shutdownNow()}, goes
   * on waiting, and returns with the interrupt status set.
   */
  @Override
  public void close() {
    boolean interrupted = false;
    shutdown();
    while (!isTerminated()) {
      try {
        awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ProcessPool[" + name + ", workers=" + workers + (isShutdown() ? ", shut down]" : "]");
  }

  String nextWorkerName() {
    return name + "-worker-" + workerNumbers.incrementAndGet();
  }

  WorkerLauncher launcher() {
    return launcher;
  }

  BlockingQueue<Submission<?>> queue() {
    return queue;
  }

  boolean isStopping() {
    lock.lock();
    try {
      return state == State.STOP;
    } finally {
      lock.unlock();
    }
  }

  /** Called by each slot as it ends; the last one marks the pool terminated. */
  void slotEnded() {
    if (liveSlots.decrementAndGet() == 0) {
      terminated.countDown();
    }
  }

  @GuardedBy("lock")
  private void queueStops() {
    for (int i = 0; i < workers; i++) {
      queue.add(STOP);
    }
  }

  private void startSlots() {
    liveSlots.set(workers);
    for (int i = 1; i <= workers; i++) {
      WorkerSlot slot = new WorkerSlot(this);
      slots.add(slot);
      Thread.ofPlatform().daemon().name(name + "-slot-" + i).start(slot);
    }
  }

  /**
   * A task waiting for, or held by, a worker.
   *
   * @param id the task's number in its pool
   * @param taskClass the {@link ProcessTask} class
   * @param argument the argument as JSON
   * @param resultType what to read the result as
   * @param future completed when the task ends
   */
  record Submission<R>(
      long id, Class<?> taskClass, JsonNode argument, JavaType resultType, TaskFuture<R> future) {

    /** Whether this is the {@link #STOP} marker rather than a task. */
    boolean isStop() {
      return future == null;
    }
  }

  /** Configures a {@link ProcessPool}. Not thread-safe; the pool it builds is. */
  public static final class Builder {

    private String name;
    private int workers = Runtime.getRuntime().availableProcessors();
    private WorkerLauncher launcher = WorkerLauncher.builder().build();

    private Builder() {}

    /** How many worker JVMs, and so tasks, run at once. Default: the available processors. */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("a pool needs at least one worker, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * The pool's name, which prefixes its workers' names. Default {@code process-pool-1}, {@code
     * process-pool-2}, ...
     */
    public Builder name(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("a pool name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * How to start the workers: their JVM options ({@code -Xmx64m}), class path and output. The
     * pool names its workers itself, always starts them as daemons, and gives each 60 seconds to
     * connect.
     */
    public Builder launcher(WorkerLauncher launcher) {
      this.launcher = Objects.requireNonNull(launcher, "launcher");
      return this;
    }

    /** Builds the pool and starts its workers, without waiting for them. */
    public ProcessPool build() {
      ProcessPool pool = new ProcessPool(this);
      pool.startSlots();
      return pool;
    }
  }
}
