package io.github.concurrencycourse.common.launch;

/**
 * An exception that happened in another JVM, as this JVM sees it.
 *
 * <p>The other JVM's exception object cannot cross the process boundary, so its class name and the
 * stack trace it printed, causes and suppressed exceptions included, travel as text. The message
 * holds that whole stack trace, so that wherever this exception is logged or reported, the remote
 * frames show. It has no stack trace of its own: frames of this JVM would only say where the
 * failure was read, not where it happened. Immutable.
 */
public abstract class RemoteFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final String workerName;
  private final long pid;
  private final String exceptionClassName;
  private final String remoteStackTrace;

  /**
   * Creates a failure whose message is {@code headline}, a colon, and the remote stack trace.
   *
   * @param workerName the name of the worker JVM the exception happened in
   * @param pid that JVM's pid
   * @param exceptionClassName the class name of the remote exception
   * @param remoteStackTrace the stack trace as the remote JVM printed it
   */
  protected RemoteFailure(
      String headline,
      String workerName,
      long pid,
      String exceptionClassName,
      String remoteStackTrace) {
    super(headline + ":\n" + remoteStackTrace.strip(), null, false, false);
    this.workerName = workerName;
    this.pid = pid;
    this.exceptionClassName = exceptionClassName;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** The name of the worker the exception happened in. */
  public String workerName() {
    return workerName;
  }

  /** The pid of the worker JVM the exception happened in. */
  public long pid() {
    return pid;
  }

  /** The class name of the remote exception, such as {@code java.lang.IllegalStateException}. */
  public String exceptionClassName() {
    return exceptionClassName;
  }

  /** The stack trace as the remote JVM printed it, with causes and suppressed exceptions. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
