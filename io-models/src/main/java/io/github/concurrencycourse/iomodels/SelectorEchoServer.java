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
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IO multiplexing: event loops, each a thread blocked in one {@link Selector#select} call that
 * waits for any of its connections to become readable or writable (epoll on Linux), then reads or
 * writes only those. The thread blocks, but in the selector, not in a read; one thread serves
 * thousands of clients and uses no CPU while they are silent.
 *
 * <p>The first loop also accepts connections and hands them out to the loops in turn. Each loop
 * reads into one direct buffer of its own ({@link #bufferSize()}, 64 KiB by default), upper-cases
 * the bytes in place and writes them back from the same buffer: a large message takes one read and
 * one write, with no copy through a temporary buffer, and a connection whose reply the kernel took
 * whole holds no buffer at all, so an idle connection costs its socket and a few dozen bytes. When
 * the kernel takes only part of a reply (the client reads slowly), the connection keeps the buffer
 * with the rest, the loop borrows another from a pool, and the connection is not read from until
 * {@code OP_WRITE} has let the rest out; then it gives the buffer back. So a client that sends but
 * never reads holds at most one buffer in the server (backpressure), and the kernel's buffers and
 * TCP's window push back on the client. In steady state no object is allocated per message: the
 * buffers are reused and the loop receives ready keys through {@link Selector#select(Consumer)},
 * which needs no iterator.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} is the number of event loops, {@value
 * #DEFAULT_LOOPS} by default. The connection limit is honoured by taking {@code OP_ACCEPT} out of
 * the listening key's interest set while it is reached, so newcomers wait in the listen queue, and
 * putting it back when a connection ends. The idle timeout is honoured by waking each loop at least
 * four times per timeout and closing the connections that have sent nothing for that long and have
 * no reply waiting. A grace period is refused: {@code close} ends connections at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The loops are platform threads named {@code
 * selector-echo-N}; {@link #close()} stops them and waits for them to end.
 */
public final class SelectorEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.WORKERS, Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(SelectorEchoServer.class);

  /** The buffer size unless another is asked for: what Netty reads at most at once. */
  public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

  /**
   * The event loops unless another number is asked for: as many as Netty's event loops and the
   * asynchronous server's group threads here. Even on one CPU two loops pay: the scheduler shares a
   * busy CPU among runnable threads, and a loop that has just woken up waits for its turn, while
   * the other may be running and read meanwhile.
   */
  public static final int DEFAULT_LOOPS = 2;

  private static final int ACCEPTS_PER_EVENT = 64;

  /**
   * Reads per readiness event while each fills the buffer: a fast sender is served in a burst, but
   * cannot keep the loop from its other connections.
   */
  private static final int READS_PER_EVENT = 16;

  /**
   * Writes tried in a row while each makes progress: on loopback the client drains its socket while
   * the loop writes, and a second write is far cheaper than a trip through {@code OP_WRITE}.
   */
  private static final int WRITES_PER_REPLY = 16;

  /** Buffers kept for connections whose reply waits, beyond those in use: 1 MiB by default. */
  private static final int SPARE_BUFFERS = 16;

  private final int loopCount;
  private final int bufferSize;
  private final int maxConnections;
  private final long idleNanos;
  private final Object acceptGate = new Object();

  @GuardedBy("acceptGate")
  private boolean accepting = true;

  private volatile SelectionKey acceptKey;
  private final IoStatistics statistics = new IoStatistics();
  private final DirectBufferPool buffers;
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private volatile ServerSocketChannel listener;

  /** {@value #DEFAULT_LOOPS} event loops, buffers of {@value #DEFAULT_BUFFER_SIZE} bytes. */
  public SelectorEchoServer() {
    this(DEFAULT_LOOPS, DEFAULT_BUFFER_SIZE);
  }

  /**
   * A server with {@code loops} event loops that read at most {@code bufferSize} bytes at once and
   * hold at most that much for a connection.
   *
   * @throws IllegalArgumentException if a number is not positive
   */
  public SelectorEchoServer(int loops, int bufferSize) {
    this(EchoServerSettings.DEFAULTS.withWorkers(requirePositive("loops", loops)), bufferSize);
  }

  /**
   * A server with {@code settings.workersOr(}{@value #DEFAULT_LOOPS}{@code )} event loops, the
   * settings' connection limit and idle timeout, that reads at most {@code bufferSize} bytes at
   * once and holds at most that much for a connection.
   *
   * @throws IllegalArgumentException if {@code bufferSize} is not positive, or the settings give a
   *     value to an option not in {@link #OPTIONS}
   */
  public SelectorEchoServer(EchoServerSettings settings, int bufferSize) {
    settings.requireSupported("selector", OPTIONS);
    this.loopCount = settings.workersOr(DEFAULT_LOOPS);
    this.bufferSize = requirePositive("bufferSize", bufferSize);
    this.maxConnections = settings.maxConnections();
    this.idleNanos = settings.idleTimeout().toNanos();
    this.buffers = new DirectBufferPool(this.bufferSize, SPARE_BUFFERS);
  }

  static int requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
    return value;
  }

  /**
   * The most the server reads at once, and the most it holds for one connection: the bytes of a
   * reply the kernel has not taken yet. An idle connection holds nothing.
   */
  public int bufferSize() {
    return bufferSize;
  }

  /** What the loops have done so far: ready keys handled, bytes moved, connections paused. */
  public IoStatistics statistics() {
    return statistics;
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    listener = channel;
    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    channel.bind(endpoint, BACKLOG);
    channel.configureBlocking(false);
    List<Selector> selectors = new ArrayList<>();
    try {
      for (int i = 0; i < loopCount; i++) {
        selectors.add(Selector.open());
      }
      acceptKey = channel.register(selectors.get(0), SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selectors.forEach(AbstractEchoServer::closeQuietly);
      throw e;
    }
    ThreadFactory factory = threadFactory(Thread.ofPlatform().name("selector-echo-", 1));
    synchronized (loops) {
      for (Selector selector : selectors) {
        EventLoop loop = new EventLoop(selector);
        loops.add(loop);
        loop.thread = factory.newThread(loop);
        loop.thread.start();
      }
    }
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  protected void release() {
    List<EventLoop> started;
    synchronized (loops) {
      started = List.copyOf(loops);
    }
    for (EventLoop loop : started) {
      loop.selector.wakeup();
    }
    try {
      for (EventLoop loop : started) {
        loop.thread.join();
      }
    } catch (InterruptedException e) {
      // The loops close their channels and selectors on their way out, a moment later.
      Thread.currentThread().interrupt();
    } finally {
      if (started.isEmpty()) {
        closeQuietly(listener);
      }
    }
  }

  /**
   * Puts {@code OP_ACCEPT} in or out of the listening key's interest set, as the connection limit
   * asks; called after every accept and every close when there is a limit. The decisions are taken
   * one at a time, each on the count as it is then, so the last one reflects the latest count.
   */
  private void regulateAccepts() {
    synchronized (acceptGate) {
      boolean room = connections().active() < maxConnections;
      if (room == accepting) {
        return;
      }
      accepting = room;
      SelectionKey key = acceptKey;
      try {
        key.interestOps(room ? SelectionKey.OP_ACCEPT : 0);
      } catch (CancelledKeyException e) {
        return; // the server is closing
      }
      if (room) {
        key.selector().wakeup();
      }
    }
  }

  /**
   * Accepts the connections waiting in the listen queue, up to {@value #ACCEPTS_PER_EVENT}: one
   * accept per wake-up would leave a burst of clients waiting on the loop's other work.
   */
  private void accept() {
    for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
      if (maxConnections > 0 && connections().active() >= maxConnections) {
        regulateAccepts();
        return;
      }
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (IOException e) {
        log.warn("accept failed on {}", addressOrNull(), e);
        return;
      }
      if (channel == null) {
        return;
      }
      connections().opened();
      if (maxConnections > 0) {
        regulateAccepts();
      }
      EventLoop loop;
      synchronized (loops) {
        loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
      }
      loop.adopt(channel);
    }
  }

  /** A thread and its selector; owns the connections registered with it. */
  private final class EventLoop implements Runnable {
    private final Selector selector;

    /** What every read of this loop goes into; swapped for another when a connection keeps it. */
    private ByteBuffer readBuffer = buffers.take();

    private final Queue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile Thread thread;
    private long nextSweep;

    EventLoop(Selector selector) {
      this.selector = selector;
    }

    /** Called by the accepting loop: this loop registers the channel on its own thread. */
    void adopt(SocketChannel channel) {
      if (Thread.currentThread() == thread) {
        register(channel);
      } else {
        handedOver.add(channel);
        selector.wakeup();
      }
    }

    @Override
    public void run() {
      try {
        long sweepMillis = Math.max(1, idleNanos / 4_000_000);
        while (!isClosed()) {
          if (idleNanos > 0) {
            selector.select(onReady, sweepMillis);
            closeIdle();
          } else {
            selector.select(onReady);
          }
          SocketChannel channel;
          while ((channel = handedOver.poll()) != null) {
            register(channel);
          }
        }
      } catch (IOException | RuntimeException e) {
        log.error("event loop {} failed; its connections are closed", thread.getName(), e);
      } finally {
        closeEverything();
      }
    }

    /** Closes the connections silent for the idle timeout, at most four times per timeout. */
    private void closeIdle() {
      long now = System.nanoTime();
      if (now - nextSweep < 0) {
        return;
      }
      nextSweep = now + idleNanos / 4;
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof Connection connection
            && !connection.writing()
            && now - connection.lastRead >= idleNanos) {
          log.debug("connection {} idle for {} ns, closing it", connection.channel, idleNanos);
          connection.close();
        }
      }
    }

    private void register(SocketChannel channel) {
      Connection connection = new Connection(channel, this);
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
      } catch (IOException e) {
        log.debug("cannot set up {}: {}", channel, e.toString());
        connection.close();
      }
    }

    private void onReady(SelectionKey key) {
      // Counted before the key is handled, so a client that has its reply sees the count too.
      statistics.event();
      if (key.attachment() instanceof Connection connection) {
        try {
          if (key.isReadable()) {
            connection.read();
          } else if (key.isWritable()) {
            connection.write();
          }
        } catch (IOException | CancelledKeyException e) {
          log.debug("connection {} ended: {}", connection.channel, e.toString());
          connection.close();
        }
      } else if (key.isAcceptable()) {
        accept();
      }
    }

    private void closeEverything() {
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof Connection connection) {
          connection.close();
        } else {
          closeQuietly(key.channel());
        }
      }
      SocketChannel channel;
      while ((channel = handedOver.poll()) != null) {
        new Connection(channel, this).close();
      }
      // Closing the selector deregisters the channels, which releases their sockets and the port.
      closeQuietly(selector);
    }
  }

  /**
   * One client: its channel, its key, and the buffer with the rest of its reply while the kernel
   * has not taken it all. Used by its loop's thread only.
   */
  private final class Connection {
    private final SocketChannel channel;
    private final EventLoop loop;
    private SelectionKey key;

    /** The rest of the reply, while it waits for {@code OP_WRITE}; otherwise null. */
    private ByteBuffer pending;

    private boolean closed;
    private long lastRead;

    Connection(SocketChannel channel, EventLoop loop) {
      this.channel = channel;
      this.loop = loop;
      this.lastRead = idleNanos > 0 ? System.nanoTime() : 0;
    }

    boolean writing() {
      return pending != null;
    }

    /**
     * Reads into the loop's buffer and writes each chunk back from it, again while a read fills the
     * buffer (the client has sent more), up to {@value #READS_PER_EVENT} times.
     */
    void read() throws IOException {
      for (int i = 0; i < READS_PER_EVENT; i++) {
        ByteBuffer buffer = loop.readBuffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
          // Nothing is pending: this connection is read only once its previous reply is out.
          close();
          return;
        }
        if (n == 0) {
          return;
        }
        statistics.received(n);
        if (idleNanos > 0) {
          lastRead = System.nanoTime();
        }
        buffer.flip();
        UppercaseEcho.upperCaseInPlace(buffer);
        writeSome(buffer);
        if (buffer.hasRemaining()) {
          keep(buffer);
          return;
        }
        if (n < buffer.capacity()) {
          return; // the socket had no more
        }
      }
    }

    /** Keeps the loop's buffer, which holds the rest of the reply, and stops reading. */
    private void keep(ByteBuffer buffer) {
      pending = buffer;
      loop.readBuffer = buffers.take();
      statistics.holding(buffer.capacity());
      statistics.paused();
      key.interestOps(SelectionKey.OP_WRITE);
    }

    /** Writes what the kernel takes, trying again while it takes something. */
    private void writeSome(ByteBuffer buffer) throws IOException {
      for (int i = 0; i < WRITES_PER_REPLY && buffer.hasRemaining(); i++) {
        int n = channel.write(buffer);
        statistics.sent(n);
        if (n == 0) {
          return;
        }
      }
    }

    void write() throws IOException {
      writeSome(pending);
      if (!pending.hasRemaining()) {
        giveBack();
        statistics.resumed();
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    private void giveBack() {
      statistics.released(pending.capacity());
      buffers.give(pending);
      pending = null;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (pending != null) {
        statistics.resumed();
        statistics.discarded(pending.remaining());
        giveBack();
      }
      closeQuietly(channel);
      connections().closed();
      if (maxConnections > 0) {
        regulateAccepts();
      }
    }
  }
}
