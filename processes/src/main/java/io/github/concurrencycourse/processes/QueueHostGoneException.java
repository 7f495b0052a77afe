package io.github.concurrencycourse.processes;

import java.nio.file.Path;

/**
 * Thrown by a {@link ProcessQueue} handle whose host can no longer be reached: the hosting process
 * exited, was killed or closed its {@link ProcessQueueHost}, or the connection broke. Every request
 * waiting at that moment fails with it instead of hanging, and so does every later one; the handle
 * is of no further use and should be closed.
 */
public final class QueueHostGoneException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Path socketPath;
  private final String why;

  QueueHostGoneException(Path socketPath, String why, Throwable cause) {
    super("the process queue host at " + socketPath + " is gone: " + why, cause);
    this.socketPath = socketPath;
    this.why = why;
  }

  /** The same failure, with the stack of the thread that meets it now. */
  QueueHostGoneException again() {
    return new QueueHostGoneException(socketPath, why, getCause());
  }

  /** The socket file of the host that is gone. */
  public Path socketPath() {
    return socketPath;
  }
}
