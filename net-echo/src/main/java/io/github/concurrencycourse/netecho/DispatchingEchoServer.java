package io.github.concurrencycourse.netecho;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.DirectBufferPool;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An uppercase-echo server on blocking sockets: one acceptor thread takes connections and hands
 * each to an executor whose threads read and write it, the way the seed's servers do. The
 * subclasses differ only in that executor: a platform thread per connection, a fixed pool, or a
 * virtual thread per connection. The life cycle is {@link AbstractEchoServer}'s.
 *
 * <p>Besides the {@link EchoServer} contract it honours these {@link EchoServerSettings}: a
 * connection limit (the acceptor stops accepting while the limit is reached, so newcomers wait in
 * the listen backlog), an idle timeout (a silent connection is closed), and a grace period: {@link
 * #close()} stops accepting, lets live connections finish within it and then closes the rest.
 *
 * <p>Each connection is a blocking {@link SocketChannel} and owns an 8 KiB array, which a small
 * message, or a wait for the next message, needs: it waits through the channel's socket stream, the
 * one blocking read that honours a timeout. When a read fills the array and the kernel holds more,
 * the client is sending a large message: the connection borrows a 64 KiB direct buffer from a pool
 * shared by the servers of this JVM, reads and replies through the channel in chunks of that size
 * for as long as the kernel has more, and gives it back before it waits again. A large message thus
 * takes a few system calls instead of one read and one write per 8 KiB, its bytes are not copied
 * through the JDK's temporary direct buffers on the way in and out as a stream's are, and a
 * connection that waits holds only its small array. Nothing is allocated per message once the pool
 * has filled.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public abstract sealed class DispatchingEchoServer extends AbstractEchoServer
    permits ThreadPerConnectionEchoServer, PooledEchoServer, VirtualThreadEchoServer {

  private static final Logger log = LoggerFactory.getLogger(DispatchingEchoServer.class);

  /** What each connection owns: it reads a small message, or waits for the next, in this. */
  private static final int SMALL_BUFFER_SIZE = 8192;

  /**
   * What a connection borrows while its client sends more than the small buffer holds: the most it
   * reads and writes at once.
   */
  private static final int LARGE_BUFFER_SIZE = 64 * 1024;

  /**
   * Large buffers kept for the next loans, shared by the servers of this JVM: 4 MiB at most. Not
   * private: the tests check that every loan is given back.
   */
  static final DirectBufferPool LARGE_BUFFERS = new DirectBufferPool(LARGE_BUFFER_SIZE, 64);

  private final String model;
  private final EchoServerSettings settings;
  private final boolean reusePort;
  private final Runnable countsChanged;

  /** One permit per connection the server may hold, or null for no limit. */
  private final Semaphore slots;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Set<Connection> live = new HashSet<>();

  private volatile Duration grace;
  private volatile ServerSocketChannel listener;
  private volatile Thread acceptor;
  private volatile ExecutorService handlers;

  /**
   * A server of model {@code model} with these settings.
   *
   * @param supported the options the model honours; settings that give another one a value are
   *     refused
   * @param reusePort whether the listener sets {@code SO_REUSEPORT}, to share its port with the
   *     sibling workers of a prefork server
   * @param countsChanged run after every change of the connection counts
   * @throws IllegalArgumentException if the settings give a value to an option not in {@code
   *     supported}
   */
  DispatchingEchoServer(
      String model,
      EchoServerSettings settings,
      Set<EchoServerSettings.Option> supported,
      boolean reusePort,
      Runnable countsChanged) {
    this.model = model;
    this.settings = settings.requireSupported(model, supported);
    this.reusePort = reusePort;
    this.countsChanged = Objects.requireNonNull(countsChanged, "countsChanged");
    this.slots = settings.maxConnections() > 0 ? new Semaphore(settings.maxConnections()) : null;
    this.grace = settings.gracePeriod();
  }

  /** The settings this server was built with. */
  public final EchoServerSettings settings() {
    return settings;
  }

  /**
   * Creates the executor that serves connections; called once, by {@link #start}. Its threads come
   * from {@link #threadFactory}, so that {@code close} waits for them.
   */
  abstract ExecutorService newHandlers(String threadPrefix);

  /**
   * Hands an accepted connection to the handlers. Called by the acceptor under the server's lock;
   * may throw {@link RejectedExecutionException}, and the connection is then closed.
   */
  void dispatch(Connection connection, ExecutorService handlers) {
    handlers.execute(connection);
  }

  /** Releases what {@link #newHandlers} started besides the executor; called once by close. */
  void handlersClosed() throws InterruptedException {}

  @Override
  protected final InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    ServerSocketChannel socket = ServerSocketChannel.open();
    listener = socket;
    socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    if (reusePort) {
      socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }
    socket.bind(endpoint, BACKLOG);
    InetSocketAddress address = (InetSocketAddress) socket.getLocalAddress();
    String prefix = "echo-" + model + "-" + address.getPort();
    handlers = newHandlers(prefix);
    acceptor =
        threadFactory(Thread.ofPlatform().name(prefix + "-acceptor")).newThread(this::acceptLoop);
    acceptor.start();
    log.info("{} echo server listening on {}", model, address);
    return address;
  }

  /**
   * Closes the server gracefully: stops accepting at once (the port is free when this method
   * returns), lets live connections — and, for the pooled server, connections waiting for a worker
   * — go on for up to {@code grace}, then closes those still open, and returns once every thread
   * the server started has ended. After it returns {@link #activeConnections()} is 0.
   *
   * <p>Otherwise as {@link #close()}, which uses the settings' grace period: idempotent, and a call
   * while another is closing returns at once. If the calling thread is interrupted, the grace
   * period ends early, the connections and the port are still released, and the method returns with
   * the interrupt status set.
   */
  public final void close(Duration grace) {
    this.grace = Objects.requireNonNull(grace, "grace");
    close();
  }

  @Override
  protected final void release() {
    closeQuietly(listener);
    Thread closingAcceptor = acceptor;
    ExecutorService closingHandlers = handlers;
    boolean interrupted = false;
    if (closingAcceptor != null) {
      // The acceptor may wait for a connection slot rather than in accept().
      closingAcceptor.interrupt();
      try {
        closingAcceptor.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (closingHandlers != null) {
      // The join's InterruptedException cleared the status: hand the interrupt on explicitly.
      interrupted = drain(closingHandlers, interrupted);
    }
    // Only connections whose threads were left behind by an interrupt can still be here.
    liveConnections().forEach(Connection::finish);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (addressOrNull() != null) {
      log.info("{} echo server on {} closed: {}", model, addressOrNull(), connections());
    }
  }

  /**
   * Lets the handlers finish within the grace period, then closes what is left; returns whether the
   * closing thread was interrupted. An interrupt, before or during the call, ends the grace period.
   */
  private boolean drain(ExecutorService closingHandlers, boolean interruptedBefore) {
    boolean interrupted = interruptedBefore || Thread.currentThread().isInterrupted();
    Duration period = grace;
    closingHandlers.shutdown();
    try {
      if (!interrupted
          && period.isPositive()
          && !closingHandlers.awaitTermination(period.toNanos(), TimeUnit.NANOSECONDS)) {
        log.info("{} echo server: grace period {} over, closing the rest", model, period);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    liveConnections().forEach(Connection::closeSocket);
    for (Runnable waiting : closingHandlers.shutdownNow()) {
      ((Connection) waiting).finish();
    }
    try {
      handlersClosed();
      while (!interrupted && !closingHandlers.awaitTermination(1, TimeUnit.MINUTES)) {
        log.warn("{} echo server: connection threads still running after close", model);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    return interrupted;
  }

  private List<Connection> liveConnections() {
    synchronized (lock) {
      return new ArrayList<>(live);
    }
  }

  private void acceptLoop() {
    ServerSocketChannel socket = listener;
    while (true) {
      if (slots != null) {
        try {
          slots.acquire();
        } catch (InterruptedException e) {
          return; // close() wakes the acceptor this way
        }
      }
      SocketChannel accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        // close() closed the listener.
        if (slots != null) {
          slots.release();
        }
        return;
      }
      connections().opened();
      countsChanged.run();
      admit(new Connection(accepted, connections().total()));
    }
  }

  private void admit(Connection connection) {
    synchronized (lock) {
      if (isClosed()) {
        connection.finish();
        return;
      }
      live.add(connection);
      try {
        dispatch(connection, handlers);
      } catch (RejectedExecutionException e) {
        connection.finish();
      }
    }
  }

  /**
   * One accepted connection. Exactly one party claims it — the thread that serves it, or the pooled
   * server's admission timer that refuses it — and it is finished (socket closed, counted, slot
   * released) exactly once, by whoever gets there first.
   */
  final class Connection implements Runnable {

    private final SocketChannel socket;
    private final long number;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();

    private Connection(SocketChannel socket, long number) {
      this.socket = socket;
      this.number = number;
    }

    /** The connection's number: 1 for the server's first connection. */
    long number() {
      return number;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      try {
        serve();
      } finally {
        finish();
      }
    }

    /**
     * Refuses the connection if nobody has started serving it: sends {@code reason} as one line,
     * then closes it.
     *
     * @return false if a worker had already claimed it
     */
    boolean refuse(String reason) {
      if (!claimed.compareAndSet(false, true)) {
        return false;
      }
      try {
        socket.write(ByteBuffer.wrap((reason + "\n").getBytes(StandardCharsets.UTF_8)));
        socket.shutdownOutput();
      } catch (IOException e) {
        log.debug("connection {}: refusal not delivered: {}", number, e.toString());
      } finally {
        finish();
      }
      return true;
    }

    private void serve() {
      try {
        Socket stream = socket.socket();
        stream.setSoTimeout(settings.idleTimeoutMillis());
        // Each chunk's reply goes out at once; the client may be waiting for it byte by byte.
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        InputStream in = stream.getInputStream();
        byte[] small = new byte[SMALL_BUFFER_SIZE];
        ByteBuffer smallReply = ByteBuffer.wrap(small);
        int n;
        // read() returning -1 is the seed's recv() returning b'': the client is done.
        while ((n = in.read(small)) != -1) {
          if (n == small.length && in.available() > 0) {
            if (!echoLarge(small)) {
              return;
            }
          } else {
            UppercaseEcho.upperCaseInPlace(small, 0, n);
            socket.write(smallReply.clear().limit(n));
          }
        }
      } catch (SocketTimeoutException e) {
        log.debug("connection {} idle for {}, closing it", number, settings.idleTimeout());
      } catch (IOException e) {
        log.debug("connection {} ended: {}", number, e.toString());
      }
    }

    /**
     * Echoes the next chunk of a large message, whose first {@code small.length} bytes are in
     * {@code small}, through a borrowed buffer: adds in one read what the kernel holds of the rest,
     * up to the buffer's size, and replies. The caller has seen that the kernel holds more, so the
     * read does not wait, and the buffer goes back to the pool before the connection waits again.
     *
     * @return false if the client closed its side
     */
    private boolean echoLarge(byte[] small) throws IOException {
      ByteBuffer large = LARGE_BUFFERS.take();
      try {
        int n = socket.read(large.put(small));
        UppercaseEcho.upperCaseInPlace(large.flip());
        // A blocking channel writes every byte before it returns.
        socket.write(large);
        return n >= 0;
      } finally {
        LARGE_BUFFERS.give(large);
      }
    }

    void closeSocket() {
      closeQuietly(socket);
    }

    void finish() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      closeQuietly(socket);
      synchronized (lock) {
        live.remove(this);
      }
      connections().closed();
      if (slots != null) {
        slots.release();
      }
      countsChanged.run();
    }
  }
}
