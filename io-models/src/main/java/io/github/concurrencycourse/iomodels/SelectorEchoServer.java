package io.github.concurrencycourse.iomodels;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.AbstractEchoServer;
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
 * <p>The first loop also accepts connections and hands them out to the loops in turn. Each
 * connection has one buffer of fixed size, allocated when it is accepted. A loop reads into it,
 * upper-cases it and writes it back; when the kernel takes only part of the reply (the client reads
 * slowly), the loop stops reading from that connection and waits for {@code OP_WRITE} instead, and
 * reads again once the reply is out. So a client that sends but never reads holds at most one
 * buffer in the server (backpressure), and the kernel's buffers and TCP's window push back on the
 * client. In steady state no object is allocated per message: the buffer is reused and the loop
 * receives ready keys through {@link Selector#select(Consumer)}, which needs no iterator.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} is the number of event loops. The connection
 * limit is honoured by taking {@code OP_ACCEPT} out of the listening key's interest set while it is
 * reached, so newcomers wait in the listen queue, and putting it back when a connection ends. The
 * idle timeout is honoured by waking each loop at least four times per timeout and closing the
 * connections that have sent nothing for that long and have no reply waiting. A grace period is
 * refused: {@code close} ends connections at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The loops are platform threads named {@code
 * selector-echo-N}; {@link #close()} stops them and waits for them to end.
 */
public final class SelectorEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.WORKERS, Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(SelectorEchoServer.class);

  /** The buffer per connection unless another size is asked for. */
  public static final int DEFAULT_BUFFER_SIZE = 8192;

  private static final int ACCEPTS_PER_EVENT = 64;

  private final int loopCount;
  private final int bufferSize;
  private final int maxConnections;
  private final long idleNanos;
  private final Object acceptGate = new Object();

  @GuardedBy("acceptGate")
  private boolean accepting = true;

  private volatile SelectionKey acceptKey;
  private final IoStatistics statistics = new IoStatistics();
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private volatile ServerSocketChannel listener;

  /** One event loop, buffers of {@value #DEFAULT_BUFFER_SIZE} bytes. */
  public SelectorEchoServer() {
    this(1, DEFAULT_BUFFER_SIZE);
  }

  /**
   * A server with {@code loops} event loops and a buffer of {@code bufferSize} bytes per
   * connection.
   *
   * @throws IllegalArgumentException if a number is not positive
   */
  public SelectorEchoServer(int loops, int bufferSize) {
    this(EchoServerSettings.DEFAULTS.withWorkers(requirePositive("loops", loops)), bufferSize);
  }

  /**
   * A server with {@code settings.workersOr(1)} event loops, the settings' connection limit and
   * idle timeout, and a buffer of {@code bufferSize} bytes per connection.
   *
   * @throws IllegalArgumentException if {@code bufferSize} is not positive, or the settings give a
   *     value to an option not in {@link #OPTIONS}
   */
  public SelectorEchoServer(EchoServerSettings settings, int bufferSize) {
    settings.requireSupported("selector", OPTIONS);
    this.loopCount = settings.workersOr(1);
    this.bufferSize = requirePositive("bufferSize", bufferSize);
    this.maxConnections = settings.maxConnections();
    this.idleNanos = settings.idleTimeout().toNanos();
  }

  static int requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
    return value;
  }

  /** The bytes of buffer the server holds per connection: the most it reads ahead of a reply. */
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
            && !connection.writing
            && now - connection.lastRead >= idleNanos) {
          log.debug("connection {} idle for {} ns, closing it", connection.channel, idleNanos);
          connection.close();
        }
      }
    }

    private void register(SocketChannel channel) {
      Connection connection = new Connection(channel, bufferSize);
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
        new Connection(channel, 0).close();
      }
      // Closing the selector deregisters the channels, which releases their sockets and the port.
      closeQuietly(selector);
    }
  }

  /** One client: its channel, its key and its one buffer. */
  private final class Connection {
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private SelectionKey key;
    private boolean writing;
    private boolean closed;
    private long lastRead;

    Connection(SocketChannel channel, int bufferSize) {
      this.channel = channel;
      this.buffer = ByteBuffer.allocate(bufferSize);
      this.lastRead = idleNanos > 0 ? System.nanoTime() : 0;
    }

    void read() throws IOException {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        // Nothing is pending: this connection is read only once its previous reply is out.
        close();
        return;
      }
      statistics.received(n);
      if (idleNanos > 0) {
        lastRead = System.nanoTime();
      }
      buffer.flip();
      UppercaseEcho.upperCaseInPlace(buffer);
      if (writeSome()) {
        writing = true;
        statistics.paused();
        key.interestOps(SelectionKey.OP_WRITE);
      }
    }

    void write() throws IOException {
      if (!writeSome()) {
        writing = false;
        statistics.resumed();
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    /** Writes what the kernel takes; returns whether part of the reply is still waiting. */
    private boolean writeSome() throws IOException {
      int n = channel.write(buffer);
      statistics.sent(n);
      return buffer.hasRemaining();
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (writing) {
        statistics.resumed();
        statistics.discarded(buffer.remaining());
      }
      closeQuietly(channel);
      connections().closed();
      if (maxConnections > 0) {
        regulateAccepts();
      }
    }
  }
}
