package io.github.concurrencycourse.common.echo;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of an {@link EchoServer}, written once, so that a server model holds only its own
 * way of serving — as {@link java.util.concurrent.AbstractExecutorService} does for an executor.
 *
 * <p>A subclass implements two methods:
 *
 * <ul>
 *   <li>{@link #bind(InetSocketAddress)} binds the listener, starts serving and returns the bound
 *       address. It is called at most once, by the first {@link #start}.
 *   <li>{@link #release()} closes the listener and every connection and stops whatever the server
 *       runs. It is called at most once: by the first {@link #close()} of a running server, by a
 *       {@code start} whose {@code bind} failed (then it frees what {@code bind} had taken so far,
 *       so it must cope with a start that got only part of the way), or by a {@code start} that a
 *       {@code close} overtook.
 * </ul>
 *
 * <p>This class then guarantees what {@link EchoServer} promises:
 *
 * <ul>
 *   <li><b>States.</b> new → running → closed, once each. A second {@code start} throws {@link
 *       IllegalStateException}; so does a {@code start} after {@code close}, also when the server
 *       was never started.
 *   <li><b>Failed start.</b> When {@code bind} throws, the server releases what it took, waits for
 *       every thread it made, is closed, and {@code start} rethrows the failure ({@link
 *       java.net.BindException} for a busy port).
 *   <li><b>Races.</b> A {@code close} that comes while {@code start} is binding marks the server
 *       closed and waits for the start to end; the start then releases what it bound and throws
 *       {@link IllegalStateException}. A {@code close} never runs {@code release} while {@code
 *       bind} is still running.
 *   <li><b>Threads.</b> Threads made through {@link #threadFactory} are remembered, and {@code
 *       close} returns only once every one of them has ended. If the closing thread is interrupted
 *       while it waits, it stops waiting, returns with its interrupt status set, and the threads
 *       end on their own.
 *   <li><b>Counts.</b> {@link #connections()} is the counter behind {@link #activeConnections()}
 *       and {@link #totalConnections()}; the subclass records each accept and each close in it.
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public abstract class AbstractEchoServer implements EchoServer {

  /**
   * The listen backlog the course's servers ask for: room for a burst of connecting clients while
   * the server is busy or at its connection limit. A full queue makes the kernel drop new SYNs, and
   * each dropped client retries only after a second or more; the kernel caps the number at {@code
   * net.core.somaxconn}.
   */
  protected static final int BACKLOG = 1024;

  private static final Logger log = LoggerFactory.getLogger(AbstractEchoServer.class);

  /** How many remembered threads may have ended before the list is swept of them. */
  private static final int SWEEP_THRESHOLD = 64;

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch startEnded = new CountDownLatch(1);
  private final ConnectionCounter connections = new ConnectionCounter();
  private final Object threadsLock = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private int sweepAt = SWEEP_THRESHOLD;
  private volatile InetSocketAddress address;

  /** Creates a new, unstarted server. */
  protected AbstractEchoServer() {}

  /**
   * Binds {@code endpoint}, starts serving and returns the address bound, with the actual port.
   * Called at most once, by {@link #start}, before the server counts as running.
   *
   * @throws java.net.BindException if the address is in use or cannot be bound
   * @throws IOException if starting fails for another reason
   */
  protected abstract InetSocketAddress bind(InetSocketAddress endpoint) throws IOException;

  /**
   * What {@link #bind} throws when binding {@code endpoint} failed with {@code cause}: a {@link
   * BindException} when the address is in use, as the JDK's sockets report it, also where a native
   * transport (Netty's epoll, io_uring) reports it as a plain {@link IOException}; the cause itself
   * if it is another {@code IOException}; else an {@code IOException} wrapping it.
   */
  protected static IOException bindFailure(InetSocketAddress endpoint, Throwable cause) {
    if (cause instanceof BindException bindException) {
      return bindException;
    }
    if (cause instanceof IOException
        && String.valueOf(cause.getMessage()).contains("Address already in use")) {
      BindException bindException =
          new BindException("cannot bind " + endpoint + ": " + cause.getMessage());
      bindException.initCause(cause);
      return bindException;
    }
    return cause instanceof IOException io ? io : new IOException("cannot bind " + endpoint, cause);
  }

  /**
   * Closes the listener and every live connection and stops the server's work; called at most once.
   * Threads made through {@link #threadFactory} need not be waited for here: {@link #close} waits
   * for them after this method returns. A server that waits for something else (a process, a grace
   * period) and is interrupted stops waiting and returns with the interrupt status set.
   */
  protected abstract void release();

  @Override
  public final InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      throw new IllegalStateException(
          "an echo server starts once; this one is "
              + (state.get() == State.CLOSED ? "closed" : "already started"));
    }
    boolean running = false;
    try {
      InetSocketAddress local = bind(endpoint);
      address = local;
      running = state.compareAndSet(State.STARTING, State.RUNNING);
      if (running) {
        log.debug("{} listening on {}", getClass().getSimpleName(), local);
        return local;
      }
    } finally {
      if (!running) {
        // bind failed, or close() came while it ran and waits for this thread to undo the start.
        state.set(State.CLOSED);
        shutDown();
      }
      startEnded.countDown();
    }
    throw new IllegalStateException("the server was closed while it started");
  }

  @Override
  public final InetSocketAddress address() {
    InetSocketAddress bound = address;
    if (bound == null) {
      throw new IllegalStateException("the server was never started");
    }
    return bound;
  }

  /**
   * {@inheritDoc}
   *
   * <p>This implementation reads {@link #connections()}; a server whose connections are counted
   * elsewhere (in child processes) overrides it.
   */
  @Override
  public int activeConnections() {
    return connections.active();
  }

  /**
   * {@inheritDoc}
   *
   * <p>This implementation reads {@link #connections()}; a server whose connections are counted
   * elsewhere (in child processes) overrides it.
   */
  @Override
  public long totalConnections() {
    return connections.total();
  }

  @Override
  public final void close() {
    State before = state.getAndSet(State.CLOSED);
    switch (before) {
      case NEW, CLOSED -> {}
      case STARTING -> awaitStartEnded();
      case RUNNING -> shutDown();
    }
  }

  /** Whether {@link #close} has been called or the start failed; serving loops stop on it. */
  protected final boolean isClosed() {
    return state.get() == State.CLOSED;
  }

  /** The live and total connections: call {@code opened()} on accept, {@code closed()} after. */
  protected final ConnectionCounter connections() {
    return connections;
  }

  /** The bound address for log lines, or null before {@link #bind} has returned. */
  protected final InetSocketAddress addressOrNull() {
    return address;
  }

  /**
   * A thread factory whose threads {@link #close} waits for. {@code delegate} names and builds the
   * threads; this factory only remembers them, forgetting those that have ended from time to time,
   * so a server that makes a thread per connection does not hold on to every thread it ever made.
   */
  protected final ThreadFactory threadFactory(ThreadFactory delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return task -> remember(delegate.newThread(task));
  }

  /** A thread factory of threads built by {@code builder}, remembered as {@link #threadFactory}. */
  protected final ThreadFactory threadFactory(Thread.Builder builder) {
    return threadFactory(builder.factory());
  }

  /**
   * Closes {@code closeable}, logging instead of throwing if that fails: for sockets and channels
   * that are being given up anyway. Does nothing for null.
   */
  public static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {} failed: {}", closeable, e.toString());
    }
  }

  private Thread remember(Thread thread) {
    if (thread == null) {
      return null;
    }
    synchronized (threadsLock) {
      threads.add(thread);
      if (threads.size() >= sweepAt) {
        threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        sweepAt = Math.max(SWEEP_THRESHOLD, 2 * threads.size());
      }
    }
    return thread;
  }

  private void shutDown() {
    try {
      release();
    } finally {
      awaitThreads();
    }
    log.debug("{} closed: {}", getClass().getSimpleName(), connections);
  }

  private void awaitThreads() {
    List<Thread> made;
    synchronized (threadsLock) {
      made = List.copyOf(threads);
    }
    try {
      for (Thread thread : made) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitStartEnded() {
    try {
      startEnded.await();
    } catch (InterruptedException e) {
      // The starting thread releases the server on its own.
      Thread.currentThread().interrupt();
    }
  }
}
