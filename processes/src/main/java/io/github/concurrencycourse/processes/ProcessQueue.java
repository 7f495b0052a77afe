package io.github.concurrencycourse.processes;

import io.github.concurrencycourse.processes.QueueConnection.Call;
import io.github.concurrencycourse.processes.QueueRequest.Op;
import io.github.concurrencycourse.processes.QueueResponse.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * A handle on a bounded blocking queue that lives in another process, the Java form of Python's
 * {@code multiprocessing.Queue}: a {@link ProcessQueueHost} holds the items, and any number of
 * processes open handles on its socket path and put and take as with any {@link BlockingQueue}.
 *
 * <pre>{@code
 * // in a worker JVM, given the host's socket path as an argument
 * try (ProcessQueue<String> queue = ProcessQueue.open(Path.of(arguments.get(0)), String.class)) {
 *   queue.put("苹果0");
 * }
 * }</pre>
 *
 * <p><b>Items</b> travel as JSON, written and read by Jackson as the element type given to {@link
 * #open(Path, Class)}, {@link #open(Path, TypeReference)} or {@link #open(Path, JavaType)} (the
 * latter two for generic types such as {@code Optional<String>}). What a consumer receives is an
 * equal copy, never the object that was put. {@code null} is refused, as by every {@code
 * BlockingQueue}; an element Jackson cannot write is refused with {@link IllegalArgumentException}
 * before anything is sent. An item that cannot be read as this handle's type stays at the head of
 * the queue and the taking method throws {@link IllegalStateException}.
 *
 * <p><b>Blocking and timeouts</b> are those of {@code BlockingQueue}: {@link #put} and {@link
 * #take} wait as long as needed, the timed {@link #offer(Object, long, TimeUnit)} and {@link
 * #poll(long, TimeUnit)} as long as they are told, and {@link #offer(Object)}, {@link #poll()} and
 * {@link #peek()} do not wait for space or items (each still makes one round trip to the host). The
 * host keeps the time of each wait. A thread interrupted while it waits gets {@link
 * InterruptedException} and the request is withdrawn: an item the host delivered meanwhile is given
 * back to the head of the queue; an insertion that completed meanwhile stays, and the method then
 * returns normally with the thread's interrupt status set, so that the caller does not put the item
 * a second time.
 *
 * <p><b>Acknowledgement.</b> An item is held for this handle from the moment the host removes it
 * until the handle acknowledges it. This plain handle acknowledges every item it receives before
 * the taking method returns, so a consumer that dies in the middle of a {@code take} loses nothing:
 * the item goes back to the head for another consumer. {@link JoinableProcessQueue} acknowledges
 * only when told to, with {@link JoinableProcessQueue#taskDone()}.
 *
 * <p><b>When the host is gone</b>, every method that reaches it, those waiting at that moment
 * included, throws {@link QueueHostGoneException}. After {@link #close()} they throw {@link
 * IllegalStateException}.
 *
 * <p><b>Which {@code Collection} methods work.</b> {@link #iterator()}, {@code contains} and {@code
 * toArray} see a snapshot of the waiting items, taken in one request (items held by consumers are
 * not in it). Removing a given element ({@code remove(Object)}, {@code removeAll}, {@code
 * retainAll}, {@code removeIf}, {@code Iterator.remove}) throws {@link
 * UnsupportedOperationException}: the host compares JSON, not {@code equals}, and the element may
 * be gone by the time it would be removed. {@link #drainTo} and {@link #clear()} poll one item at a
 * time, so other consumers may take items in between.
 *
 * <p><b>Threads and memory.</b> A handle is thread-safe and serves any number of threads at once
 * over one connection; a thread blocked in {@code take} does not hold up another's {@code put}.
 * Only the item's JSON passes between processes: a consumer sees what the item carries, and no
 * other effect of the producer is promised, not even between two threads of one JVM.
 *
 * @param <E> the type of the items
 */
public sealed class ProcessQueue<E> extends AbstractQueue<E>
    implements BlockingQueue<E>, AutoCloseable permits JoinableProcessQueue {

  /** Writes items to JSON and reads them back. Thread-safe. */
  static final JsonMapper ITEMS = JsonMapper.shared();

  private final QueueConnection connection;
  private final JavaType type;

  ProcessQueue(QueueConnection connection, JavaType type) {
    this.connection = connection;
    this.type = type;
  }

  /**
   * Opens a handle on the queue whose host listens on {@code socketPath}, for items of {@code
   * type}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> ProcessQueue<E> open(Path socketPath, Class<E> type) throws IOException {
    return open(socketPath, ITEMS.constructType(type));
  }

  /**
   * Opens a handle for items of a generic type, such as {@code new
   * TypeReference<Optional<String>>() {}}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> ProcessQueue<E> open(Path socketPath, TypeReference<E> type)
      throws IOException {
    return open(socketPath, ITEMS.constructType(type));
  }

  /**
   * Opens a handle for items of a generic type, such as {@code Optional<String>}, given as a
   * Jackson {@link JavaType}. The caller's {@code E} must match {@code type}.
   *
   * @throws IOException if no host listens there
   */
  public static <E> ProcessQueue<E> open(Path socketPath, JavaType type) throws IOException {
    Objects.requireNonNull(type, "type");
    return new ProcessQueue<>(QueueConnection.open(socketPath), type);
  }

  /** The socket file of the host this handle is connected to. */
  public Path socketPath() {
    return connection.socketPath();
  }

  /**
   * Inserts {@code e}, waiting as long as needed for space.
   *
   * @throws InterruptedException if interrupted while waiting; the item was not inserted
   * @throws NullPointerException if {@code e} is null
   * @throws IllegalArgumentException if Jackson cannot write {@code e}
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public void put(E e) throws InterruptedException {
    insert(e, -1);
  }

  /**
   * Inserts {@code e}, waiting up to {@code timeout} for space.
   *
   * @return {@code true} if inserted, {@code false} if the queue stayed full
   * @throws InterruptedException if interrupted while waiting; the item was not inserted
   * @throws NullPointerException if {@code e} is null
   * @throws IllegalArgumentException if Jackson cannot write {@code e}
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    return insert(e, Math.max(0, unit.toNanos(timeout)));
  }

  /**
   * Inserts {@code e} if there is space now.
   *
   * @return {@code true} if inserted, {@code false} if the queue is full
   * @throws NullPointerException if {@code e} is null
   * @throws IllegalArgumentException if Jackson cannot write {@code e}
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public boolean offer(E e) {
    return connection.send(Op.OFFER, encode(e), 0, 0).awaitUninterruptibly().status() == Status.OK;
  }

  /**
   * Removes the head, waiting as long as needed for one.
   *
   * @throws InterruptedException if interrupted while waiting; nothing was removed
   * @throws IllegalStateException if the head cannot be read as this handle's type (it stays)
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public E take() throws InterruptedException {
    return remove(-1);
  }

  /**
   * Removes the head, waiting up to {@code timeout} for one.
   *
   * @return the head, or {@code null} if the queue stayed empty
   * @throws InterruptedException if interrupted while waiting; nothing was removed
   * @throws IllegalStateException if the head cannot be read as this handle's type (it stays)
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return remove(Math.max(0, unit.toNanos(timeout)));
  }

  /**
   * Removes the head if there is one now.
   *
   * @return the head, or {@code null} if the queue is empty
   * @throws IllegalStateException if the head cannot be read as this handle's type (it stays)
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public E poll() {
    return received(connection.send(Op.POLL, null, 0, 0).awaitUninterruptibly());
  }

  /**
   * Returns the head without removing it.
   *
   * @return the head, or {@code null} if the queue is empty
   * @throws IllegalStateException if the head cannot be read as this handle's type
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public E peek() {
    QueueResponse response = checked(connection.ask(Op.PEEK, 0));
    return response.status() == Status.OK ? decode(response.item()) : null;
  }

  /**
   * The number of items waiting in the queue now, not counting those held by consumers.
   *
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public int size() {
    return (int) checked(connection.ask(Op.SIZE, 0)).count();
  }

  /**
   * How many more items fit now.
   *
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public int remainingCapacity() {
    return (int) checked(connection.ask(Op.REMAINING_CAPACITY, 0)).count();
  }

  /**
   * A snapshot of the waiting items, head first; its {@code remove} throws {@link
   * UnsupportedOperationException}.
   *
   * @throws IllegalStateException if an item cannot be read as this handle's type
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  public Iterator<E> iterator() {
    List<E> snapshot = new ArrayList<>();
    for (JsonNode item : checked(connection.ask(Op.SNAPSHOT, 0)).items()) {
      snapshot.add(decode(item));
    }
    return Collections.unmodifiableList(snapshot).iterator();
  }

  /** As {@link #drainTo(Collection, int)} without a limit. */
  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  /**
   * Moves up to {@code maxElements} waiting items into {@code c}, one {@link #poll()} at a time. If
   * adding to {@code c} throws, the item being added is lost, as {@code BlockingQueue} allows.
   *
   * @throws IllegalArgumentException if {@code c} is this queue
   * @throws QueueHostGoneException if the host is gone
   */
  @Override
  @SuppressWarnings("ReferenceEquality") // draining into this very handle is the error to catch
  public int drainTo(Collection<? super E> c, int maxElements) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    int moved = 0;
    while (moved < maxElements) {
      E item = poll();
      if (item == null) {
        break;
      }
      c.add(item);
      moved++;
    }
    return moved;
  }

  /**
   * Closes the connection after sending what is queued. Items this handle holds unacknowledged go
   * back to the head of the queue. Idempotent.
   */
  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + socketPath() + ", " + type.toCanonical() + "]";
  }

  /** Called with the delivery number of each item this handle receives, before it is returned. */
  void acknowledgeOnReceipt(long delivery) {
    done(delivery);
  }

  /** Acknowledges a held item. */
  final void done(long delivery) {
    checked(connection.ask(Op.DONE, delivery));
  }

  /** Waits for the unfinished-task count to reach zero; for {@link JoinableProcessQueue}. */
  final boolean awaitAllDone(long waitNanos) throws InterruptedException {
    return succeeds(Op.JOIN, null, waitNanos);
  }

  private boolean insert(E e, long waitNanos) throws InterruptedException {
    return succeeds(Op.OFFER, encode(e), waitNanos);
  }

  /**
   * Sends a request that waits up to {@code waitNanos} on the host and whether it succeeded. If
   * interrupted meanwhile, withdraws it: a request that completed before the withdrawal arrived
   * still counts, and returns {@code true} with the interrupt status set again.
   */
  private boolean succeeds(Op op, JsonNode item, long waitNanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Call call = connection.send(op, item, waitNanos, 0);
    try {
      return checked(call.await()).status() == Status.OK;
    } catch (InterruptedException interrupted) {
      if (withdraw(call).status() == Status.OK) {
        Thread.currentThread().interrupt();
        return true;
      }
      throw interrupted;
    }
  }

  private E remove(long waitNanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Call call = connection.send(Op.POLL, null, waitNanos, 0);
    try {
      return received(call.await());
    } catch (InterruptedException interrupted) {
      QueueResponse late = withdraw(call);
      if (late.status() == Status.OK) {
        checked(connection.ask(Op.RELEASE, late.delivery()));
      }
      throw interrupted;
    }
  }

  /**
   * Asks the host to stop a waiting request and returns how it ended: {@link Status#OK} if it
   * completed before the cancel arrived, {@link Status#CANCELLED} or {@link Status#NONE} if not.
   */
  private QueueResponse withdraw(Call call) {
    connection.send(Op.CANCEL, null, 0, call.id());
    QueueResponse late = call.awaitUninterruptibly();
    return late.status() == Status.CANCELLED ? late : checked(late);
  }

  /** Turns a poll's answer into the item, acknowledging it or giving it back. */
  private E received(QueueResponse response) {
    if (checked(response).status() != Status.OK) {
      return null;
    }
    E item;
    try {
      item = decode(response.item());
    } catch (IllegalStateException unreadable) {
      checked(connection.ask(Op.RELEASE, response.delivery()));
      throw unreadable;
    }
    acknowledgeOnReceipt(response.delivery());
    return item;
  }

  private QueueResponse checked(QueueResponse response) {
    return switch (response.status()) {
      case OK, NONE -> response;
      case CANCELLED -> throw new QueueHostGoneException(socketPath(), "the host is closing", null);
      case ERROR -> throw new IllegalStateException(response.error());
    };
  }

  private JsonNode encode(E e) {
    Objects.requireNonNull(e, "a process queue holds no null");
    try {
      return ITEMS.valueToTree(e);
    } catch (JacksonException ex) {
      throw new IllegalArgumentException(
          "cannot write " + e.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
    }
  }

  private E decode(JsonNode item) {
    try {
      return ITEMS.treeToValue(item == null ? NullNode.getInstance() : item, type);
    } catch (JacksonException ex) {
      throw new IllegalStateException(
          "the item at the head cannot be read as "
              + type.toCanonical()
              + ": "
              + ex.getOriginalMessage(),
          ex);
    }
  }
}
