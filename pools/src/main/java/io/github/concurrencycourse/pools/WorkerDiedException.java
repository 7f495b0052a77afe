package io.github.concurrencycourse.pools;

import java.io.File;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The worker JVM of a {@link ProcessPool} died, or never started, while it held a task: the task
 * called {@code System.exit}, the worker was killed by a signal or ran out of memory, or the JVM
 * could not start. Only the task that worker held fails with it; the pool replaces the worker.
 *
 * <p>The message names the worker, its pid and how it ended, such as {@code worker
 * 'process-pool-1-worker-2' (pid 4242) died running task ...: killed by signal 9 (SIGKILL)}.
 */
public final class WorkerDiedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Signals a worker may die of, by number, as Linux numbers them. */
  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  private final String workerName;
  private final long pid;

  /** The exit code, or {@code null} if unknown; an {@code OptionalInt} is not serializable. */
  private final Integer exitCode;

  WorkerDiedException(String message, String workerName, long pid, OptionalInt exitCode) {
    this(message, workerName, pid, exitCode, null);
  }

  WorkerDiedException(
      String message, String workerName, long pid, OptionalInt exitCode, Throwable cause) {
    super(message, cause);
    this.workerName = workerName;
    this.pid = pid;
    this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
  }

  /** The name of the worker that died. */
  public String workerName() {
    return workerName;
  }

  /** The pid of the worker JVM that died, or -1 if its JVM could not be started at all. */
  public long pid() {
    return pid;
  }

  /**
   * The worker JVM's exit code: the value given to {@code System.exit}, 128 + the signal number
   * when a signal killed it (on Unix), {@link ProcessPool#EXIT_OUT_OF_MEMORY} after an {@link
   * OutOfMemoryError}; empty when the JVM was never started or had not exited when the pool gave up
   * waiting.
   */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /**
   * How a worker JVM that exited with {@code exitCode} ended, in words. The pool reads the code
   * while this JVM lives, so a daemon worker's "orphaned" code cannot be meant and is not named.
   */
  static String describeExit(int exitCode) {
    if (exitCode == ProcessPool.EXIT_OUT_OF_MEMORY) {
      return "halted after an OutOfMemoryError (exit code " + exitCode + ")";
    }
    boolean unix = File.separatorChar == '/';
    if (unix && exitCode > 128 && exitCode < 128 + 65) {
      int signal = exitCode - 128;
      return "killed by signal "
          + signal
          + " ("
          + SIGNALS.getOrDefault(signal, "SIG" + signal)
          + ", exit code "
          + exitCode
          + ")";
    }
    return "exited with code " + exitCode + " (System.exit or a fatal error in the worker)";
  }
}
