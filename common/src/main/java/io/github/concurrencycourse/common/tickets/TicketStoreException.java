package io.github.concurrencycourse.common.tickets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link TicketStore} could not do its job: the data file is corrupt, truncated, not a JSON
 * object or has no valid {@code "count"}, or the file system failed.
 *
 * <p>The message starts with the file and says what is wrong with it. When this exception reports
 * bad content, the store has not written to the file: the bytes are left as they were found, for a
 * person to inspect.
 */
public final class TicketStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Not serializable and not needed after a round trip: the message names the file too. */
  private final transient Path file;

  TicketStoreException(Path file, String problem) {
    this(file, problem, null);
  }

  TicketStoreException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
  }

  /** The data file the problem is about. */
  public Path file() {
    return file;
  }
}
