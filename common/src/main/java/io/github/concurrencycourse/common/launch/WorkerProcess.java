package io.github.concurrencycourse.common.launch;

import io.github.concurrencycourse.common.concurrent.Uninterruptibly;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * A started worker: a child JVM running a {@link WorkerTask} or a {@link Worker}, as returned by
 * {@link WorkerLauncher}. The Java counterpart of a started {@code multiprocessing.Process}, and a
 * {@link Process} itself, so it also works wherever a {@code Process} is expected.
 *
 * <table>
 *   <caption>Python's names and ours</caption>
 *   <tr><th>Python</th><th>here</th><th>{@code Process}</th></tr>
 *   <tr><td>{@code p.name}, {@code p.pid}</td><td>{@link #name()}, {@link #pid()}</td><td></td></tr>
 *   <tr><td>{@code p.join(timeout)}</td><td>{@link #join(Duration)}</td>
 *       <td>{@link #waitFor(long, TimeUnit)}</td></tr>
 *   <tr><td>{@code p.is_alive()}</td><td>{@link #isAlive()}</td><td></td></tr>
 *   <tr><td>{@code p.exitcode}</td><td>{@link #exitCode()}</td><td>{@link #exitValue()}</td></tr>
 *   <tr><td>{@code p.terminate()}</td><td>{@link #terminate()}</td><td>{@link #destroy()}</td></tr>
 *   <tr><td>{@code p.kill()}</td><td>{@link #kill()}</td><td>{@link #destroyForcibly()}</td></tr>
 * </table>
 *
 * <p><b>Exit codes.</b> 0 when the task returned; {@link #EXIT_FAILED} when it threw, and then
 * {@link #failure()} holds its stack trace; {@link #EXIT_BAD_LAUNCH} when the child could not read
 * what to run or connect to its parent's channel; {@link #EXIT_ORPHANED} when a daemon worker
 * outlived its parent; 143 after {@link #terminate()} and 137 after {@link #kill()} on Linux
 * (Python reports -15 and -9); whatever the task passed to {@code System.exit}. The JVM itself
 * exits with 1 when it cannot start, and says why on the worker's standard error.
 *
 * <p><b>Liveness.</b> A worker is alive until its JVM has exited and its failure report, if any,
 * has been read. From then on {@link #exitCode()} and {@link #failure()} no longer change, and a
 * thread that saw the exit (through {@code join}, {@code waitFor}, {@link #onExit()} or {@link
 * #isAlive()}) sees them, and every file the child wrote before it exited, in their final state.
 *
 * <p><b>Output.</b> With {@link WorkerOutput#prefixedLines}, {@link #join(Duration)} and {@link
 * #waitFor()} return once the worker has exited and every line it printed has been handed to the
 * sink, waiting for those lines at most 2 seconds after the exit (and never past the time limit). A
 * descendant that inherited the output and outlives the worker holds the stream open: its lines
 * keep arriving after the join returns.
 *
 * <p><b>Clean-up.</b> {@link #close()} kills the worker's process tree if it is still running, so
 * {@code try (WorkerProcess p = launcher.start(...))} leaves no process behind. Thread-safe.
 */
public final class WorkerProcess extends Process implements AutoCloseable {

  /** The exit code of a worker whose task threw; {@link #failure()} says what. */
  public static final int EXIT_FAILED = 1;

  /**
   * The exit code of a child that could not read its launch description, or could not connect to
   * the channel its parent waits on.
   */
  public static final int EXIT_BAD_LAUNCH = 2;

  /** The exit code of a daemon worker that halted because its parent died. */
  public static final int EXIT_ORPHANED = 3;

  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** How long to wait, once the worker has exited, for its last lines to reach the sink. */
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

  private final String name;
  private final Process process;
  private final List<Thread> outputReaders;
  private final CompletableFuture<Optional<WorkerFailure>> outcome;

  private WorkerProcess(
      String name,
      Process process,
      List<Thread> outputReaders,
      CompletableFuture<Optional<WorkerFailure>> outcome) {
    this.name = name;
    this.process = process;
    this.outputReaders = outputReaders;
    this.outcome = outcome;
  }

  /** Wraps a just-started child: starts its output readers and watches for its exit. */
  static WorkerProcess attach(String name, Process process, Path failureFile, WorkerOutput output) {
    List<Thread> readers =
        output
            .sink()
            .map(
                sink -> {
                  String prefix = "[" + name + "] ";
                  return List.of(
                      startReader(process.getInputStream(), prefix, sink, name + "-stdout"),
                      startReader(process.getErrorStream(), prefix, sink, name + "-stderr"));
                })
            .orElse(List.of());
    long pid = process.pid();
    CompletableFuture<Optional<WorkerFailure>> outcome = new CompletableFuture<>();
    // A thread of its own waits for the exit. Not Process.onExit(): it completes on the common
    // pool, which a caller that blocks its threads (one on two cores) can hold up indefinitely.
    // Not the JDK's process reaper thread either, which has a small stack and serves every
    // process: reading the report does file I/O and JSON parsing.
    Thread.ofVirtual()
        .name(name + "-exit")
        .start(
            () -> {
              awaitExit(process);
              try {
                outcome.complete(readFailure(name, pid, failureFile));
              } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
              }
            });
    return new WorkerProcess(name, process, readers, outcome);
  }

  /** Waits for {@code process} to exit; nothing interrupts the thread that watches it. */
  private static void awaitExit(Process process) {
    Uninterruptibly.await(process::waitFor);
  }

  /** The worker's name, as given to {@link WorkerLauncher.Builder#name(String)}. */
  public String name() {
    return name;
  }

  /** The child JVM's process id. */
  @Override
  public long pid() {
    return process.pid();
  }

  /** Whether the worker is still running; see the class comment for when it stops being alive. */
  @Override
  public boolean isAlive() {
    return !outcome.isDone();
  }

  /**
   * Waits up to {@code timeout} for the worker to exit and for its output to be delivered.
   *
   * @return {@code true} if the worker has exited, {@code false} if it is still running when the
   *     time is up
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + saturatedNanos(timeout);
    try {
      outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("watching worker " + name + " failed", e.getCause());
    }
    awaitOutput(Math.max(0, deadline - System.nanoTime()));
    return true;
  }

  /**
   * Waits, without a time limit, for the worker to exit and its output to be delivered.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    waitFor();
  }

  /** The exit code, or empty while the worker {@linkplain #isAlive() is alive}. */
  public OptionalInt exitCode() {
    return outcome.isDone() ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
  }

  /**
   * The exception the worker's task threw in the child, once the worker has exited; empty while it
   * runs, when the task returned, and when the child died without reporting one (killed, or the JVM
   * could not start: its standard error says why).
   */
  public Optional<WorkerFailure> failure() {
    return outcome.getNow(Optional.empty());
  }

  /**
   * Asks the worker and all its descendants to stop (SIGTERM on Unix, descendants first): the JVM
   * runs its shutdown hooks and exits with 143. Returns at once; {@link #join(Duration)} to wait.
   */
  public void terminate() {
    signalTree(false);
  }

  /**
   * Kills the worker and all its descendants at once (SIGKILL on Unix, descendants first): no
   * shutdown hook runs. Returns at once; {@link #join(Duration)} to wait.
   */
  public void kill() {
    signalTree(true);
  }

  /**
   * Kills the worker's process tree if the worker is still running, and waits up to 10 seconds for
   * it to exit. Idempotent.
   */
  @Override
  public void close() {
    if (isAlive()) {
      kill();
    }
    try {
      if (!join(CLOSE_TIMEOUT)) {
        log.warn(
            "worker {} (pid {}) did not exit within {} of being killed",
            name,
            pid(),
            CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A worker's standard input carries its launch description and is closed once written: this
   * stream discards everything.
   */
  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The worker's output is inherited or read line by line into its sink: this stream is empty.
   */
  @Override
  public InputStream getInputStream() {
    return InputStream.nullInputStream();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The worker's output is inherited or read line by line into its sink: this stream is empty.
   */
  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  /** As {@link #join()}, returning the exit code. */
  @Override
  public int waitFor() throws InterruptedException {
    try {
      outcome.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("watching worker " + name + " failed", e.getCause());
    }
    awaitOutput(Long.MAX_VALUE);
    return process.exitValue();
  }

  /** As {@link #join(Duration)}. */
  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    return join(Duration.of(timeout, unit.toChronoUnit()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalThreadStateException if the worker {@linkplain #isAlive() is alive}
   */
  @Override
  public int exitValue() {
    if (isAlive()) {
      throw new IllegalThreadStateException("worker " + name + " has not exited");
    }
    return process.exitValue();
  }

  /** As {@link #terminate()}. */
  @Override
  public void destroy() {
    terminate();
  }

  /** As {@link #kill()}. */
  @Override
  public WorkerProcess destroyForcibly() {
    kill();
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return process.supportsNormalTermination();
  }

  @Override
  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes once the worker is no longer {@linkplain #isAlive() alive}; its last lines of
   * output may still be on their way to the sink.
   */
  @Override
  public CompletableFuture<Process> onExit() {
    return outcome.thenApply(failure -> this);
  }

  @Override
  public String toString() {
    OptionalInt exitCode = exitCode();
    return "WorkerProcess[name="
        + name
        + ", pid="
        + pid()
        + (exitCode.isPresent() ? ", exitCode=" + exitCode.getAsInt() : ", alive")
        + "]";
  }

  /**
   * Waits for the output readers to reach the end of the worker's streams, at most {@code
   * timeoutNanos} and at most {@link #OUTPUT_GRACE}. The worker has exited, so what it wrote is in
   * the pipe already and drains at once; only a descendant that inherited the pipe can keep it
   * open, for as long as it lives.
   */
  private void awaitOutput(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + Math.min(timeoutNanos, OUTPUT_GRACE.toNanos());
    for (Thread reader : outputReaders) {
      reader.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  private void signalTree(boolean force) {
    // Descendants first: a parent killed first could not pass the signal on, and its children
    // would be re-parented out of reach of descendants().
    try (Stream<ProcessHandle> descendants = process.descendants()) {
      descendants.forEach(handle -> signal(handle, force));
    }
    signal(process.toHandle(), force);
  }

  private static void signal(ProcessHandle handle, boolean force) {
    boolean sent = force ? handle.destroyForcibly() : handle.destroy();
    if (!sent && handle.isAlive()) {
      log.warn("could not signal process {}", handle.pid());
    }
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return Math.max(0, timeout.toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private static Thread startReader(
      InputStream stream, String prefix, Consumer<? super String> sink, String threadName) {
    return Thread.ofPlatform()
        .daemon()
        .name(threadName)
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  deliver(sink, prefix + line);
                }
              } catch (IOException e) {
                log.debug("reading {} ended early", threadName, e);
              }
            });
  }

  private static void deliver(Consumer<? super String> sink, String line) {
    try {
      sink.accept(line);
    } catch (RuntimeException e) {
      log.warn("output sink threw on line {}", line, e);
    }
  }

  private static Optional<WorkerFailure> readFailure(String name, long pid, Path failureFile) {
    try {
      byte[] bytes = Files.readAllBytes(failureFile);
      LaunchSpec.FailureReport report =
          LaunchSpec.PROTOCOL.readValue(bytes, LaunchSpec.FailureReport.class);
      return Optional.of(
          new WorkerFailure(name, pid, report.exceptionClass(), report.stackTrace()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | JacksonException e) {
      log.warn("worker {} left an unreadable failure report {}", name, failureFile, e);
      return Optional.of(
          new WorkerFailure(name, pid, "unknown", "unreadable failure report: " + e));
    } finally {
      try {
        Files.deleteIfExists(failureFile);
      } catch (IOException e) {
        log.warn("cannot delete failure report {}", failureFile, e);
      }
    }
  }
}
