package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * A worker started with {@link WorkerLauncher#startConnected} never connected to its parent: its
 * JVM exited first (a bad JVM option, a missing class; its standard error says why), or it did not
 * connect in time and was killed. Either way no process is left running.
 */
public final class WorkerStartException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String workerName;
  private final long pid;

  /** The exit code, or {@code null}; an {@code OptionalInt} is not serializable. */
  private final Integer exitCode;

  WorkerStartException(String message, String workerName, long pid, OptionalInt exitCode) {
    super(message);
    this.workerName = workerName;
    this.pid = pid;
    this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
  }

  /** The name of the worker that did not connect. */
  public String workerName() {
    return workerName;
  }

  /** The pid its JVM had. */
  public long pid() {
    return pid;
  }

  /**
   * The exit code of a worker JVM that exited before connecting; empty for one that was killed
   * because it did not connect in time.
   */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }
}
