package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
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
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * <p>Thread-safe as {@link EchoServer} requires. The loops are platform threads named {@code
 * selector-echo-N}; {@link #close()} stops them and waits for them to end.
 */
public final class SelectorEchoServer extends LifecycleEchoServer {

  private static final Logger log = LoggerFactory.getLogger(SelectorEchoServer.class);

  /** The buffer per connection unless another size is asked for. */
  public static final int DEFAULT_BUFFER_SIZE = 8192;

  private static final int ACCEPTS_PER_EVENT = 64;

  private final int loopCount;
  private final int bufferSize;
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
    if (loops < 1) {
      throw new IllegalArgumentException("loops must be >= 1, got " + loops);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
    this.loopCount = loops;
    this.bufferSize = bufferSize;
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
  public InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
    Objects.requireNonNull(endpoint, "endpoint");
    beginStart();
    ServerSocketChannel channel = ServerSocketChannel.open();
    List<Selector> selectors = new ArrayList<>();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(endpoint, BlockingEchoServer.BACKLOG);
      channel.configureBlocking(false);
      for (int i = 0; i < loopCount; i++) {
        selectors.add(Selector.open());
      }
      channel.register(selectors.get(0), SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      for (Selector selector : selectors) {
        selector.close();
      }
      channel.close();
      abandonStart();
      throw e;
    }
    listener = channel;
    bound((InetSocketAddress) channel.getLocalAddress());
    synchronized (loops) {
      for (int i = 0; i < loopCount; i++) {
        EventLoop loop = new EventLoop(selectors.get(i));
        loops.add(loop);
        loop.thread = Thread.ofPlatform().name("selector-echo-" + (i + 1)).start(loop);
      }
    }
    return finishStart();
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
    }
  }

  /**
   * Accepts the connections waiting in the listen queue, up to {@value #ACCEPTS_PER_EVENT}: one
   * accept per wake-up would leave a burst of clients waiting on the loop's other work.
   */
  private void accept() {
    for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (IOException e) {
        log.warn("accept failed on {}", boundOrNull(), e);
        return;
      }
      if (channel == null) {
        return;
      }
      counter.opened();
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
        while (!isClosed()) {
          selector.select(onReady);
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

    Connection(SocketChannel channel, int bufferSize) {
      this.channel = channel;
      this.buffer = ByteBuffer.allocate(bufferSize);
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
      counter.closed();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {} failed", closeable, e);
    }
  }
}
