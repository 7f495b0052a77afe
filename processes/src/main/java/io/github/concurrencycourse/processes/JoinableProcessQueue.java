package io.github.concurrencycourse.processes;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

/**
 * A {@link ProcessQueue} handle with tasks, the Java form of Python's {@code
 * multiprocessing.JoinableQueue}: every item put counts as an unfinished task until a consumer
 * calls {@link #taskDone()} for it, and {@link #join()}, from any process, waits until no task is
 * unfinished.
 *
 * <p><b>{@code taskDone} is the acknowledgement.</b> An item taken through this handle stays held
 * by it until {@link #taskDone()}; if the handle's connection ends first (the consumer's process
 * exits, crashes or is killed with SIGKILL, or the handle is closed), the item goes back to the
 * head of the queue and another consumer receives it. Nothing is lost; an item may be processed
 * twice if its consumer died after the work and before {@code taskDone}, so make the work
 * idempotent or acknowledge promptly.
 *
 * <p>Unlike Python, {@code taskDone} acknowledges an item taken <em>through this handle</em>, the
 * oldest one not yet acknowledged; a process cannot acknowledge what another process took. Calling
 * it with nothing held throws {@link IllegalStateException}, as Python's {@code task_done} raises
 * {@code ValueError} when called too often. Every removing method counts ({@code take}, {@code
 * poll}, {@code remove}, {@code drainTo}); {@link #clear()} acknowledges what it removes.
 *
 * <p>Thread-safe; everything else is as in {@link ProcessQueue}.
 *
 * @param <E> the type of the items
 */
public final class JoinableProcessQueue<E> extends ProcessQueue<E> {

  private final Object heldLock = new Object();

  /** Delivery numbers of the items taken through this handle and not yet done, oldest first. */
  @GuardedBy("heldLock")
  private final ArrayDeque<Long> held = new ArrayDeque<>();

  private JoinableProcessQueue(QueueConnection connection, JavaType type) {
    super(connection, type);
  }

  /**
   * Opens a joinable handle on the queue whose host listens on {@code socketPath}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> JoinableProcessQueue<E> open(Path socketPath, Class<E> type)
      throws IOException {
    return open(socketPath, ITEMS.constructType(type));
  }

  /**
   * Opens a joinable handle for items of a generic type, such as {@code new
   * TypeReference<Optional<String>>() {}}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> JoinableProcessQueue<E> open(Path socketPath, TypeReference<E> type)
      throws IOException {
    return open(socketPath, ITEMS.constructType(type));
  }

  /**
   * Opens a joinable handle for items of a generic type given as a Jackson {@link JavaType}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> JoinableProcessQueue<E> open(Path socketPath, JavaType type)
      throws IOException {
    Objects.requireNonNull(type, "type");
    return new JoinableProcessQueue<>(QueueConnection.open(socketPath), type);
  }

  /**
   * Acknowledges the oldest item taken through this handle and not yet acknowledged: its task is
   * done, and it will not come back if this process dies.
   *
   * @throws IllegalStateException if this handle holds no unacknowledged item
   * @throws QueueHostGoneException if the host is gone
   */
  public void taskDone() {
    long delivery;
    synchronized (heldLock) {
      if (held.isEmpty()) {
        throw new IllegalStateException(
            "taskDone() called more often than items were taken through this handle");
      }
      delivery = held.removeFirst();
    }
    done(delivery);
  }

  /** The number of items taken through this handle and not yet acknowledged. */
  public int heldItems() {
    synchronized (heldLock) {
      return held.size();
    }
  }

  /**
   * Waits until every item ever put into the queue, by any process, has been acknowledged.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws QueueHostGoneException if the host is gone
   */
  public void join() throws InterruptedException {
    awaitAllDone(-1);
  }

  /**
   * Waits up to {@code timeout} until every item put into the queue has been acknowledged.
   *
   * @return {@code true} if none is unfinished, {@code false} if some still were when time ran out
   * @throws InterruptedException if interrupted while waiting
   * @throws QueueHostGoneException if the host is gone
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long nanos;
    try {
      nanos = Math.max(0, timeout.toNanos());
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    return awaitAllDone(nanos);
  }

  /**
   * Removes every waiting item, one at a time, and acknowledges each: their tasks count as done.
   */
  @Override
  public void clear() {
    while (poll() != null) {
      taskDone();
    }
  }

  @Override
  void acknowledgeOnReceipt(long delivery) {
    synchronized (heldLock) {
      held.addLast(delivery);
    }
  }
}
