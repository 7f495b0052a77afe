package io.github.concurrencycourse.common.launch;

/**
 * An exception thrown by a worker's task in its child JVM, as seen by the parent.
 *
 * <p>The child's exception object cannot cross the process boundary, so its class name and the
 * stack trace the child printed, causes included, travel as text. The message holds the whole child
 * stack trace, so that wherever this exception is logged or reported, the child's frames show. It
 * has no stack trace of its own: frames of the parent would only say where the failure was read,
 * not where it happened.
 */
public final class WorkerFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final String workerName;
  private final long pid;
  private final String exceptionClassName;
  private final String childStackTrace;

  WorkerFailure(String workerName, long pid, String exceptionClassName, String childStackTrace) {
    super(
        "worker '"
            + workerName
            + "' (pid "
            + pid
            + ") failed in its JVM:\n"
            + childStackTrace.strip(),
        null,
        false,
        false);
    this.workerName = workerName;
    this.pid = pid;
    this.exceptionClassName = exceptionClassName;
    this.childStackTrace = childStackTrace;
  }

  /** The name of the worker that failed. */
  public String workerName() {
    return workerName;
  }

  /** The pid of the child JVM that failed. */
  public long pid() {
    return pid;
  }

  /**
   * The class name of the exception the task threw, such as {@code
   * java.lang.IllegalStateException}.
   */
  public String exceptionClassName() {
    return exceptionClassName;
  }

  /** The stack trace as the child printed it, with its causes and suppressed exceptions. */
  public String childStackTrace() {
    return childStackTrace;
  }
}
