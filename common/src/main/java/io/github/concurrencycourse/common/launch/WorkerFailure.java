package io.github.concurrencycourse.common.launch;

/**
 * An exception thrown by a worker's task in its child JVM, which ended the child; see {@link
 * WorkerProcess#failure()}. What travels and how is said in {@link RemoteFailure}.
 */
public final class WorkerFailure extends RemoteFailure {

  private static final long serialVersionUID = 1L;

  WorkerFailure(String workerName, long pid, String exceptionClassName, String childStackTrace) {
    super(
        "worker '" + workerName + "' (pid " + pid + ") failed in its JVM",
        workerName,
        pid,
        exceptionClassName,
        childStackTrace);
  }
}
