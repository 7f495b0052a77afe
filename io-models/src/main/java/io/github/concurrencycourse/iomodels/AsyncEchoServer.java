package io.github.concurrencycourse.iomodels;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.DirectBufferPool;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous model as the JDK offers it: {@link AsynchronousServerSocketChannel} and {@link
 * AsynchronousSocketChannel} with {@link CompletionHandler}s. The server asks for a read and
 * returns at once; a handler runs when the read has completed, with the bytes already in the
 * buffer, and asks for the write; another handler runs when the write has completed. No thread of
 * the server ever waits for one particular client.
 *
 * <p>On Linux the JDK emulates this with epoll: the channel group's threads wait in {@code
 * epoll_wait}, and when a socket is ready one of them performs the {@code read()} itself, copying
 * from the kernel while it waits, then runs the handler. That is the selector model behind a
 * callback interface, not asynchronous IO in Stevens' sense, where the kernel completes the copy
 * and only then tells the process.
 *
 * <p>A read needs its buffer from the moment it is asked for until it completes, however long the
 * client stays silent, so each connection owns a small buffer ({@value #IDLE_BUFFER_SIZE} bytes)
 * for the read that waits. When a read fills it, the client is sending more than that: the
 * connection borrows a direct buffer of {@link #bufferSize()} bytes (64 KiB by default) from a pool
 * for its next reads, and gives it back after the first read that does not fill it, once that reply
 * is out. A large message thus costs two reads and two writes, not one per small buffer, and an
 * idle connection holds only its small buffer, unless the last read of its last message filled the
 * large one exactly: the read then waiting for more keeps it until the next message. The pool keeps
 * what it gets back, up to a bound, so in steady state nothing is allocated per message.
 *
 * <p>Backpressure as in {@link SelectorEchoServer}: the next read is asked for only after the whole
 * reply has been written, so a client that never reads holds at most one large buffer in the
 * server. Handlers are created per connection, not per message.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} is the number of threads in the channel group.
 * The connection limit is honoured by asking for the next accept only while there is room, so
 * newcomers wait in the listen queue until a connection ends. The idle timeout is each read's
 * timeout: a read that has not completed within it closes the connection. A grace period is
 * refused: {@code close} ends connections at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The group's threads are platform threads named
 * {@code async-echo-N}; {@link #close()} shuts the group down and waits for them to end.
 */
public final class AsyncEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.WORKERS, Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(AsyncEchoServer.class);

  private static final long TERMINATION_WAIT_SECONDS = 30;

  /**
   * The buffer each connection owns: what a read of a small message, or of an idle client, needs.
   */
  static final int IDLE_BUFFER_SIZE = 2048;

  /** Large buffers kept for the next loans, beyond those in use: 1 MiB by default. */
  private static final int SPARE_BUFFERS = 16;

  private final int threads;
  private final int bufferSize;
  private final int maxConnections;
  private final long idleMillis;
  private final Object acceptGate = new Object();

  @GuardedBy("acceptGate")
  private boolean acceptPending;

  private final IoStatistics statistics = new IoStatistics();
  private final DirectBufferPool buffers;
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private final CompletionHandler<AsynchronousSocketChannel, Void> onAccepted = new Acceptor();
  private volatile AsynchronousChannelGroup group;
  private volatile AsynchronousServerSocketChannel listener;

  /**
   * Two threads in the group, reading at most {@value SelectorEchoServer#DEFAULT_BUFFER_SIZE} bytes
   * at once.
   */
  public AsyncEchoServer() {
    this(2, SelectorEchoServer.DEFAULT_BUFFER_SIZE);
  }

  /**
   * A server whose channel group has {@code threads} threads, reading at most {@code bufferSize}
   * bytes at once.
   *
   * @throws IllegalArgumentException if a number is not positive
   */
  public AsyncEchoServer(int threads, int bufferSize) {
    this(
        EchoServerSettings.DEFAULTS.withWorkers(
            SelectorEchoServer.requirePositive("threads", threads)),
        bufferSize);
  }

  /**
   * A server whose channel group has {@code settings.workersOr(2)} threads, with the settings'
   * connection limit and idle timeout, reading at most {@code bufferSize} bytes at once.
   *
   * @throws IllegalArgumentException if {@code bufferSize} is not positive, or the settings give a
   *     value to an option not in {@link #OPTIONS}
   */
  public AsyncEchoServer(EchoServerSettings settings, int bufferSize) {
    settings.requireSupported("async", OPTIONS);
    this.threads = settings.workersOr(2);
    this.bufferSize = SelectorEchoServer.requirePositive("bufferSize", bufferSize);
    this.maxConnections = settings.maxConnections();
    this.idleMillis = settings.idleTimeoutMillis();
    this.buffers = new DirectBufferPool(this.bufferSize, SPARE_BUFFERS);
  }

  /**
   * The most the server reads at once, and the most it holds for a connection that reads a large
   * message or whose reply waits; an idle connection holds {@value #IDLE_BUFFER_SIZE} bytes, or
   * this size if it is smaller.
   */
  public int bufferSize() {
    return bufferSize;
  }

  /** What the handlers have done so far; {@link IoStatistics#events()} counts completions. */
  public IoStatistics statistics() {
    return statistics;
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    AsynchronousChannelGroup newGroup =
        AsynchronousChannelGroup.withFixedThreadPool(
            threads, threadFactory(Thread.ofPlatform().name("async-echo-", 1)));
    group = newGroup;
    AsynchronousServerSocketChannel channel = AsynchronousServerSocketChannel.open(newGroup);
    listener = channel;
    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    channel.bind(endpoint, BACKLOG);
    InetSocketAddress address = (InetSocketAddress) channel.getLocalAddress();
    acceptMore();
    return address;
  }

  @Override
  protected void release() {
    closeQuietly(listener);
    for (Connection connection : live) {
      connection.close();
    }
    AsynchronousChannelGroup started = group;
    if (started == null) {
      return;
    }
    try {
      started.shutdownNow();
      if (!started.awaitTermination(TERMINATION_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("the channel group's threads did not end within {} s", TERMINATION_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("shutting the channel group down failed", e);
    }
  }

  /**
   * Asks for the next accept, unless one is pending, the server is closed or the connection limit
   * is reached; called after every accept and, with a limit, after every close. The decisions are
   * taken one at a time, each on the count as it is then.
   */
  private void acceptMore() {
    synchronized (acceptGate) {
      if (acceptPending
          || isClosed()
          || (maxConnections > 0 && connections().active() >= maxConnections)) {
        return;
      }
      acceptPending = true;
    }
    listener.accept(null, onAccepted);
  }

  private void acceptEnded() {
    synchronized (acceptGate) {
      acceptPending = false;
    }
  }

  private final class Acceptor implements CompletionHandler<AsynchronousSocketChannel, Void> {
    @Override
    public void completed(AsynchronousSocketChannel channel, Void attachment) {
      statistics.event();
      connections().opened();
      acceptEnded();
      acceptMore();
      Connection connection = new Connection(channel);
      live.add(connection);
      // close() may have looked at the live set just before this connection joined it.
      if (isClosed()) {
        connection.close();
        return;
      }
      try {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      } catch (IOException e) {
        log.debug("cannot set up {}: {}", channel, e.toString());
        connection.close();
        return;
      }
      connection.readNext();
    }

    @Override
    public void failed(Throwable e, Void attachment) {
      acceptEnded();
      if (isClosed() || e instanceof AsynchronousCloseException) {
        return;
      }
      log.warn("accept failed on {}", addressOrNull(), e);
      acceptMore();
    }
  }

  /**
   * One client: its channel, its buffers and the two handlers that pass them along. One operation
   * is outstanding at a time, so the handlers of a connection never run at once; only {@link
   * #close()} may come from another thread.
   */
  private final class Connection {
    private final AsynchronousSocketChannel channel;
    private final ByteBuffer small = ByteBuffer.allocate(Math.min(IDLE_BUFFER_SIZE, bufferSize));

    /** The borrowed buffer while the client sends large messages; taken once, back or dropped. */
    private final AtomicReference<ByteBuffer> large = new AtomicReference<>();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletionHandler<Integer, ByteBuffer> onRead = new ReadHandler();
    private final CompletionHandler<Integer, ByteBuffer> onWritten = new WriteHandler();
    // Whether a reply is being written; cleared once, by its last handler or by close().
    private final AtomicBoolean writing = new AtomicBoolean();

    /** Whether the last read filled its buffer: the client probably has more to send. */
    private boolean filled;

    private volatile ByteBuffer replying;

    Connection(AsynchronousSocketChannel channel) {
      this.channel = channel;
      statistics.holding(small.capacity());
    }

    void readNext() {
      ByteBuffer next = small;
      if (filled) {
        next = large.get();
        if (next == null) {
          next = buffers.take();
          statistics.holding(next.capacity());
          large.set(next);
          // close() sets the flag before it takes the buffer: one of the two lets it go.
          if (closed.get() && large.compareAndSet(next, null)) {
            statistics.released(next.capacity());
          }
        }
      } else {
        giveBackLarge();
      }
      // A timeout of 0 is none.
      channel.read(next.clear(), idleMillis, TimeUnit.MILLISECONDS, next, onRead);
    }

    /** Returns the large buffer to the pool: between operations only, when nothing can touch it. */
    private void giveBackLarge() {
      ByteBuffer borrowed = large.getAndSet(null);
      if (borrowed != null) {
        statistics.released(borrowed.capacity());
        buffers.give(borrowed);
      }
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        if (writing.compareAndSet(true, false)) {
          statistics.resumed();
          ByteBuffer reply = replying;
          statistics.discarded(reply == null ? 0 : reply.remaining());
        }
        closeQuietly(channel);
        // An operation may still be using the large buffer: it is left to the garbage collector.
        ByteBuffer borrowed = large.getAndSet(null);
        statistics.released(small.capacity() + (borrowed == null ? 0 : borrowed.capacity()));
        live.remove(this);
        connections().closed();
        if (maxConnections > 0) {
          acceptMore();
        }
      }
    }

    private final class ReadHandler implements CompletionHandler<Integer, ByteBuffer> {
      @Override
      public void completed(Integer n, ByteBuffer buffer) {
        statistics.event();
        if (n < 0) {
          close();
          return;
        }
        statistics.received(n);
        filled = !buffer.hasRemaining();
        buffer.flip();
        UppercaseEcho.upperCaseInPlace(buffer);
        // No read is asked for until this reply is out: the connection is paused meanwhile.
        replying = buffer;
        writing.set(true);
        statistics.paused();
        channel.write(buffer, buffer, onWritten);
      }

      @Override
      public void failed(Throwable e, ByteBuffer buffer) {
        if (e instanceof InterruptedByTimeoutException) {
          log.debug("connection {} idle for {} ms, closing it", channel, idleMillis);
        } else {
          log.debug("connection {} ended: {}", channel, e.toString());
        }
        close();
      }
    }

    private final class WriteHandler implements CompletionHandler<Integer, ByteBuffer> {
      @Override
      public void completed(Integer n, ByteBuffer buffer) {
        statistics.event();
        statistics.sent(n);
        if (buffer.hasRemaining()) {
          channel.write(buffer, buffer, this);
          return;
        }
        if (writing.compareAndSet(true, false)) {
          statistics.resumed();
        }
        readNext();
      }

      @Override
      public void failed(Throwable e, ByteBuffer buffer) {
        log.debug("connection {} ended: {}", channel, e.toString());
        close();
      }
    }
  }
}
