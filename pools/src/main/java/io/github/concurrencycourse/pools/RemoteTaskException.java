package io.github.concurrencycourse.pools;

import io.github.concurrencycourse.common.launch.RemoteFailure;

/**
 * An exception thrown by a {@link ProcessTask} in a worker JVM, as the parent sees it. The worker
 * survived it and goes on serving. What travels and how is said in {@link RemoteFailure}.
 */
public final class RemoteTaskException extends RemoteFailure {

  private static final long serialVersionUID = 1L;

  RemoteTaskException(
      String workerName,
      long pid,
      String taskClassName,
      String exceptionClassName,
      String remoteStackTrace) {
    super(
        "task " + taskClassName + " threw in worker '" + workerName + "' (pid " + pid + ")",
        workerName,
        pid,
        exceptionClassName,
        remoteStackTrace);
  }
}
