package io.github.concurrencycourse.processes;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.launch.ChannelServer;
import io.github.concurrencycourse.common.launch.MalformedFrameException;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.processes.QueueResponse.Status;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The process that owns a {@link ProcessQueue}: it holds the items and serves the handles that
 * other processes (and this one) open on its Unix domain socket.
 *
 * <p>Start a host in the parent, pass {@link #socketPath()} to the workers (as an argument or a
 * field), and let each open a handle with {@link ProcessQueue#open} or {@link
 * JoinableProcessQueue#open}:
 *
 * <pre>{@code
 * try (ProcessQueueHost host = ProcessQueueHost.start(100)) {
 *   launcher.start(ProducerTask.class, host.socketPath().toString());
 *   try (ProcessQueue<String> queue = ProcessQueue.open(host.socketPath(), String.class)) {
 *     String food = queue.take();
 *   }
 * }
 * }</pre>
 *
 * <p><b>Capacity.</b> At most {@link #capacity()} items wait in the queue; an insertion into a full
 * queue waits or fails as the handle's method says. An item that a handle took and gave back
 * (because its connection ended, or its taking thread was interrupted) returns to the head even
 * when the queue is full, so {@link #size()} may exceed the capacity by the number of such items
 * until consumers catch up: a returned item is never refused.
 *
 * <p><b>Nothing is lost with a consumer.</b> An item handed to a handle is <em>held</em> by that
 * handle's connection until the handle acknowledges it (a plain {@link ProcessQueue} does so as it
 * receives the item; a {@link JoinableProcessQueue} when {@link JoinableProcessQueue#taskDone()} is
 * called). If the connection ends first, because the consumer's process exited or was killed, the
 * held items go back to the head of the queue, oldest first, for the next consumer.
 *
 * <p><b>Tasks.</b> Every inserted item counts as an unfinished task until it is acknowledged;
 * {@link JoinableProcessQueue#join()} waits for the count to reach zero.
 *
 * <p><b>Threads and files.</b> Handles talk to the host over {@link MessageChannel}s accepted by a
 * {@link ChannelServer}. The host accepts them, and receives each connection's requests, on
 * platform threads of its own, and serves each waiting request on a virtual thread; a malformed
 * frame or request closes its connection only. {@link #close()} ends every connection (handles see
 * {@link QueueHostGoneException}), waits for every thread the host started, and deletes the socket
 * file (and the private temporary directory {@link #start(int)} created). Thread-safe.
 */
public final class ProcessQueueHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProcessQueueHost.class);

  private final int capacity;
  private final Path socketPath;
  private final ChannelServer<QueueResponse, QueueRequest> server;
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("process-queue-host-", 0).factory());

  /**
   * Accepts connections, and receives each connection's requests. Platform threads: a channel and
   * its server wait in a selector, which would hold a virtual thread's carrier as long as it waits.
   */
  private final ExecutorService receivers =
      Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().daemon().name("process-queue-host-connection-", 0).factory());

  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Signalled on every change a waiter may be waiting for; waiters re-check their own condition.
   */
  private final Condition changed = lock.newCondition();

  @GuardedBy("lock")
  private final ArrayDeque<JsonNode> items = new ArrayDeque<>();

  @GuardedBy("lock")
  private final List<Connection> connections = new ArrayList<>();

  @GuardedBy("lock")
  private long unfinished;

  @GuardedBy("lock")
  private long lastDelivery;

  @GuardedBy("lock")
  private boolean closed;

  private ProcessQueueHost(int capacity, ChannelServer<QueueResponse, QueueRequest> server) {
    this.capacity = capacity;
    this.socketPath = server.socketPath();
    this.server = server;
  }

  /**
   * Starts a host whose socket lives in a new temporary directory that only this user may enter,
   * deleted by {@link #close()}.
   *
   * @param capacity the most items that wait in the queue, at least 1
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   * @throws IOException if the directory or the socket cannot be created
   */
  public static ProcessQueueHost start(int capacity) throws IOException {
    requirePositive(capacity);
    return start(capacity, ChannelServer.open(QueueResponse.class, QueueRequest.class));
  }

  /**
   * Starts a host on the socket file {@code socketPath}, which must not exist yet; {@link #close()}
   * deletes it. Unix limits such a path to about 100 bytes.
   *
   * @param capacity the most items that wait in the queue, at least 1
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   * @throws java.net.BindException if the file exists
   * @throws IOException if the socket cannot be created
   */
  public static ProcessQueueHost start(int capacity, Path socketPath) throws IOException {
    requirePositive(capacity);
    return start(capacity, ChannelServer.bind(socketPath, QueueResponse.class, QueueRequest.class));
  }

  private static ProcessQueueHost start(
      int capacity, ChannelServer<QueueResponse, QueueRequest> server) {
    ProcessQueueHost host = new ProcessQueueHost(capacity, server);
    host.receivers.execute(host::accept);
    return host;
  }

  /** The socket file that {@link ProcessQueue#open} connects to. */
  public Path socketPath() {
    return socketPath;
  }

  /** The most items that wait in the queue. */
  public int capacity() {
    return capacity;
  }

  /** The number of items waiting, not counting those held by consumers. */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** The number of items inserted and not yet acknowledged, whether waiting or held. */
  public long unfinishedTasks() {
    lock.lock();
    try {
      return unfinished;
    } finally {
      lock.unlock();
    }
  }

  /** The number of items handed to consumers and not yet acknowledged or given back. */
  public int heldItems() {
    lock.lock();
    try {
      return connections.stream().mapToInt(c -> c.held.size()).sum();
    } finally {
      lock.unlock();
    }
  }

  /** The number of handles connected now. */
  public int connections() {
    lock.lock();
    try {
      return connections.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes every connection, wakes every waiting request, waits for the host's threads to end and
   * deletes the socket file. Items still in the queue are discarded. Idempotent.
   *
   * @throws IOException if the socket file or directory cannot be deleted
   */
  @Override
  public void close() throws IOException {
    List<Connection> open;
    lock.lock();
    try {
      closed = true;
      open = List.copyOf(connections);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      server.close();
    } finally {
      for (Connection connection : open) {
        connection.close();
      }
      receivers.close();
      threads.close();
    }
  }

  @Override
  public String toString() {
    return "ProcessQueueHost[" + socketPath + ", capacity=" + capacity + "]";
  }

  private static void requirePositive(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
  }

  private void accept() {
    while (true) {
      MessageChannel<QueueResponse, QueueRequest> channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("queue host {} stops accepting connections", socketPath, e);
        return;
      } catch (InterruptedException e) {
        // Nobody interrupts the host's threads; if someone does, the host stops accepting.
        log.warn("queue host {}: its accepting thread was interrupted", socketPath, e);
        return;
      }
      Connection connection = new Connection(channel);
      boolean registered;
      lock.lock();
      try {
        registered = !closed;
        if (registered) {
          connections.add(connection);
        }
      } finally {
        lock.unlock();
      }
      if (!registered) {
        connection.close();
        return;
      }
      execute(receivers, connection, () -> serve(connection));
    }
  }

  private void serve(Connection connection) {
    try {
      for (Optional<QueueRequest> received = connection.channel.receive();
          received.isPresent();
          received = connection.channel.receive()) {
        QueueRequest request = received.get();
        if (!request.isWellFormed()) {
          log.warn(
              "queue host {} closes a connection whose request {} lacks what {} needs",
              socketPath,
              request.id(),
              request.op());
          return;
        }
        dispatch(connection, request);
      }
    } catch (MalformedFrameException e) {
      log.warn(
          "queue host {} closes a connection that sent a malformed frame: {}",
          socketPath,
          e.getMessage());
    } catch (IOException e) {
      log.debug("queue host {}: a connection ended", socketPath, e);
    } catch (InterruptedException e) {
      // Nobody interrupts the host's threads; if someone does, this connection ends.
      log.warn("queue host {}: a connection's thread was interrupted", socketPath, e);
    } finally {
      drop(connection);
    }
  }

  private void dispatch(Connection connection, QueueRequest request) {
    if (!request.op().mayWait() || request.waitNanos() == 0) {
      connection.send(answer(connection, request, null));
      return;
    }
    Waiter waiter = new Waiter();
    lock.lock();
    try {
      if (!connection.open) {
        return;
      }
      connection.waiters.put(request.id(), waiter);
    } finally {
      lock.unlock();
    }
    execute(
        threads,
        connection,
        () -> {
          QueueResponse response;
          try {
            response = answer(connection, request, waiter);
          } finally {
            lock.lock();
            try {
              connection.waiters.remove(request.id());
            } finally {
              lock.unlock();
            }
          }
          connection.send(response);
        });
  }

  private static void execute(ExecutorService executor, Connection connection, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // The host is closing: the connection is being closed as well.
      connection.close();
    }
  }

  /** Carries out one request; {@code waiter} is {@code null} for a request that does not wait. */
  private QueueResponse answer(Connection connection, QueueRequest request, Waiter waiter) {
    long id = request.id();
    lock.lock();
    try {
      return switch (request.op()) {
        case OFFER -> offer(request, waiter);
        case POLL -> poll(connection, request, waiter);
        case PEEK ->
            items.isEmpty()
                ? QueueResponse.of(id, Status.NONE)
                : QueueResponse.item(id, items.peekFirst(), 0);
        case SIZE -> QueueResponse.count(id, items.size());
        case REMAINING_CAPACITY -> QueueResponse.count(id, Math.max(0, capacity - items.size()));
        case SNAPSHOT -> QueueResponse.items(id, List.copyOf(items));
        case DONE -> done(connection, request);
        case RELEASE -> release(connection, request);
        case JOIN -> join(request, waiter);
        case CANCEL -> cancel(connection, request);
      };
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private QueueResponse offer(QueueRequest request, Waiter waiter) {
    Deadline deadline = new Deadline(request.waitNanos());
    while (items.size() >= capacity) {
      Status status = await(deadline, waiter);
      if (status != null) {
        return QueueResponse.of(request.id(), status);
      }
    }
    items.addLast(request.item());
    unfinished++;
    changed.signalAll();
    return QueueResponse.of(request.id(), Status.OK);
  }

  @GuardedBy("lock")
  private QueueResponse poll(Connection connection, QueueRequest request, Waiter waiter) {
    Deadline deadline = new Deadline(request.waitNanos());
    while (items.isEmpty()) {
      Status status = await(deadline, waiter);
      if (status != null) {
        return QueueResponse.of(request.id(), status);
      }
    }
    if (!connection.open) {
      return QueueResponse.of(request.id(), Status.CANCELLED);
    }
    JsonNode item = items.removeFirst();
    long delivery = ++lastDelivery;
    connection.held.put(delivery, item);
    changed.signalAll();
    return QueueResponse.item(request.id(), item, delivery);
  }

  @GuardedBy("lock")
  private QueueResponse join(QueueRequest request, Waiter waiter) {
    Deadline deadline = new Deadline(request.waitNanos());
    while (unfinished > 0) {
      Status status = await(deadline, waiter);
      if (status != null) {
        return QueueResponse.of(request.id(), status);
      }
    }
    return QueueResponse.of(request.id(), Status.OK);
  }

  @GuardedBy("lock")
  private QueueResponse done(Connection connection, QueueRequest request) {
    if (connection.held.remove(request.ref()) == null) {
      return QueueResponse.error(
          request.id(), "delivery " + request.ref() + " is not held by this connection");
    }
    unfinished--;
    changed.signalAll();
    return QueueResponse.of(request.id(), Status.OK);
  }

  @GuardedBy("lock")
  private QueueResponse release(Connection connection, QueueRequest request) {
    JsonNode item = connection.held.remove(request.ref());
    if (item == null) {
      return QueueResponse.error(
          request.id(), "delivery " + request.ref() + " is not held by this connection");
    }
    items.addFirst(item);
    changed.signalAll();
    return QueueResponse.of(request.id(), Status.OK);
  }

  @GuardedBy("lock")
  private QueueResponse cancel(Connection connection, QueueRequest request) {
    Waiter waiter = connection.waiters.get(request.ref());
    if (waiter != null) {
      waiter.cancelled = true;
      changed.signalAll();
    }
    return QueueResponse.of(request.id(), Status.OK);
  }

  /**
   * Waits once for a change, or decides that the request ends here.
   *
   * @return {@code null} to check the condition again, or the status the request ends with
   */
  @GuardedBy("lock")
  private Status await(Deadline deadline, Waiter waiter) {
    if (closed || (waiter != null && waiter.cancelled)) {
      return Status.CANCELLED;
    }
    if (waiter == null || deadline.expired()) {
      return Status.NONE;
    }
    try {
      deadline.await(changed);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.CANCELLED;
    }
  }

  /** Forgets a connection that ended: its waiting requests stop, its held items return. */
  private void drop(Connection connection) {
    lock.lock();
    try {
      connection.open = false;
      connections.remove(connection);
      connection.waiters.values().forEach(waiter -> waiter.cancelled = true);
      List<JsonNode> held = new ArrayList<>(connection.held.values());
      connection.held.clear();
      for (int i = held.size() - 1; i >= 0; i--) {
        items.addFirst(held.get(i));
      }
      if (!held.isEmpty()) {
        log.info(
            "queue host {}: a connection ended holding {} unacknowledged item(s); they are back"
                + " at the head",
            socketPath,
            held.size());
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    connection.close();
  }

  /** A request that waits; set {@link #cancelled} and signal to make it stop. */
  private static final class Waiter {
    boolean cancelled;
  }

  /** The end of a wait: never, now, or a time. */
  private static final class Deadline {
    private final boolean forever;
    private final long end;

    Deadline(long waitNanos) {
      this.forever = waitNanos < 0;
      this.end = System.nanoTime() + Math.max(0, waitNanos);
    }

    boolean expired() {
      return !forever && end - System.nanoTime() <= 0;
    }

    // Called in the loops of offer, poll and join, which re-check their condition.
    @SuppressWarnings("WaitNotInLoop")
    void await(Condition condition) throws InterruptedException {
      if (forever) {
        condition.await();
      } else {
        long left = end - System.nanoTime();
        if (left > 0) {
          condition.awaitNanos(left);
        }
      }
    }
  }

  /**
   * One handle's connection. Its {@code open}, {@code held} and {@code waiters} are guarded by the
   * host's {@code lock}; they carry no {@code @GuardedBy} because Error Prone cannot check a lock
   * of the enclosing instance reached through another reference.
   */
  private final class Connection {
    final MessageChannel<QueueResponse, QueueRequest> channel;

    boolean open = true;

    /** Items delivered on this connection and not yet acknowledged, in delivery order. */
    final Map<Long, JsonNode> held = new LinkedHashMap<>();

    /** Requests of this connection that wait, by request id. */
    final Map<Long, Waiter> waiters = new HashMap<>();

    Connection(MessageChannel<QueueResponse, QueueRequest> channel) {
      this.channel = channel;
    }

    /** Sends a response; a failure closes the channel, and the reader then drops the connection. */
    void send(QueueResponse response) {
      try {
        channel.send(response);
      } catch (IOException e) {
        log.debug("queue host {}: cannot answer a connection", socketPath, e);
        close();
      }
    }

    void close() {
      channel.close();
    }
  }
}
