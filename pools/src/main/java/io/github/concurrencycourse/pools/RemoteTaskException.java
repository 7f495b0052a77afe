package io.github.concurrencycourse.pools;

/**
 * An exception thrown by a {@link ProcessTask} in a worker JVM, as the parent sees it. The worker
 * survived it and goes on serving.
 *
 * <p>The worker's exception object cannot cross the process boundary, so its class name and stack
 * trace, causes included, travel as text. The message holds the worker's name and pid and the whole
 * remote stack trace, so wherever this exception is logged the worker's frames show. It has no
 * stack trace of its own: frames of the parent would only say where the reply was read.
 */
public final class RemoteTaskException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String workerName;
  private final long pid;
  private final String exceptionClassName;
  private final String remoteStackTrace;

  RemoteTaskException(
      String workerName,
      long pid,
      String taskClassName,
      String exceptionClassName,
      String remoteStackTrace) {
    super(
        "task "
            + taskClassName
            + " threw in worker '"
            + workerName
            + "' (pid "
            + pid
            + "):\n"
            + remoteStackTrace.strip(),
        null,
        false,
        false);
    this.workerName = workerName;
    this.pid = pid;
    this.exceptionClassName = exceptionClassName;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** The name of the worker that ran the task. */
  public String workerName() {
    return workerName;
  }

  /** The pid of the worker JVM that ran the task. */
  public long pid() {
    return pid;
  }

  /**
   * The class name of the exception the task threw, such as {@code java.lang.ArithmeticException}.
   */
  public String exceptionClassName() {
    return exceptionClassName;
  }

  /** The stack trace as the worker printed it, with causes and suppressed exceptions. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
