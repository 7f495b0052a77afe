package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
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
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Backpressure as in {@link SelectorEchoServer}: each connection has one buffer, and the next
 * read is asked for only after the whole reply has been written, so a client that never reads holds
 * at most one buffer in the server. Handlers are created per connection, not per message.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The group's threads are platform threads named
 * {@code async-echo-N}; {@link #close()} shuts the group down and waits for them to end.
 */
public final class AsyncEchoServer extends LifecycleEchoServer {

  private static final Logger log = LoggerFactory.getLogger(AsyncEchoServer.class);

  private static final long TERMINATION_WAIT_SECONDS = 30;

  private final int threads;
  private final int bufferSize;
  private final IoStatistics statistics = new IoStatistics();
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private final CompletionHandler<AsynchronousSocketChannel, Void> onAccepted = new Acceptor();
  private volatile AsynchronousChannelGroup group;
  private volatile RememberingThreadFactory groupThreads;
  private volatile AsynchronousServerSocketChannel listener;

  /** Two threads in the group, {@value SelectorEchoServer#DEFAULT_BUFFER_SIZE}-byte buffers. */
  public AsyncEchoServer() {
    this(2, SelectorEchoServer.DEFAULT_BUFFER_SIZE);
  }

  /**
   * A server whose channel group has {@code threads} threads, with {@code bufferSize} bytes of
   * buffer per connection.
   *
   * @throws IllegalArgumentException if a number is not positive
   */
  public AsyncEchoServer(int threads, int bufferSize) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
    this.threads = threads;
    this.bufferSize = bufferSize;
  }

  /** The bytes of buffer the server holds per connection: the most it reads ahead of a reply. */
  public int bufferSize() {
    return bufferSize;
  }

  /** What the handlers have done so far; {@link IoStatistics#events()} counts completions. */
  public IoStatistics statistics() {
    return statistics;
  }

  @Override
  public InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
    Objects.requireNonNull(endpoint, "endpoint");
    beginStart();
    AtomicInteger number = new AtomicInteger();
    RememberingThreadFactory factory =
        new RememberingThreadFactory(
            task ->
                Thread.ofPlatform().name("async-echo-" + number.incrementAndGet()).unstarted(task));
    AsynchronousChannelGroup newGroup =
        AsynchronousChannelGroup.withFixedThreadPool(threads, factory);
    AsynchronousServerSocketChannel channel;
    try {
      channel = AsynchronousServerSocketChannel.open(newGroup);
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(endpoint, BlockingEchoServer.BACKLOG);
    } catch (IOException | RuntimeException e) {
      abandonStart();
      shutDown(newGroup, factory);
      throw e;
    }
    group = newGroup;
    groupThreads = factory;
    listener = channel;
    bound((InetSocketAddress) channel.getLocalAddress());
    channel.accept(null, onAccepted);
    return finishStart();
  }

  @Override
  protected void release() {
    AsynchronousServerSocketChannel channel = listener;
    if (channel != null) {
      closeQuietly(channel);
    }
    for (Connection connection : live) {
      connection.close();
    }
    AsynchronousChannelGroup started = group;
    if (started != null) {
      shutDown(started, groupThreads);
    }
  }

  private static void shutDown(AsynchronousChannelGroup group, RememberingThreadFactory threads) {
    try {
      group.shutdownNow();
      if (group.awaitTermination(TERMINATION_WAIT_SECONDS, TimeUnit.SECONDS)) {
        threads.awaitEnd(Duration.ofSeconds(TERMINATION_WAIT_SECONDS));
      } else {
        log.warn("the channel group's threads did not end within {} s", TERMINATION_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("shutting the channel group down failed", e);
    }
  }

  private final class Acceptor implements CompletionHandler<AsynchronousSocketChannel, Void> {
    @Override
    public void completed(AsynchronousSocketChannel channel, Void attachment) {
      statistics.event();
      listener.accept(null, this);
      counter.opened();
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
      if (isClosed() || e instanceof AsynchronousCloseException) {
        return;
      }
      log.warn("accept failed on {}", boundOrNull(), e);
      listener.accept(null, this);
    }
  }

  /** One client: its channel, its buffer and the two handlers that pass the buffer along. */
  private final class Connection {
    private final AsynchronousSocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletionHandler<Integer, Void> onRead = new ReadHandler();
    private final CompletionHandler<Integer, Void> onWritten = new WriteHandler();
    // Whether a reply is being written; cleared once, by its last handler or by close().
    private final AtomicBoolean writing = new AtomicBoolean();

    Connection(AsynchronousSocketChannel channel) {
      this.channel = channel;
    }

    void readNext() {
      buffer.clear();
      channel.read(buffer, null, onRead);
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        if (writing.compareAndSet(true, false)) {
          statistics.resumed();
          statistics.discarded(buffer.remaining());
        }
        closeQuietly(channel);
        live.remove(this);
        counter.closed();
      }
    }

    private final class ReadHandler implements CompletionHandler<Integer, Void> {
      @Override
      public void completed(Integer n, Void attachment) {
        statistics.event();
        if (n < 0) {
          close();
          return;
        }
        statistics.received(n);
        buffer.flip();
        UppercaseEcho.upperCaseInPlace(buffer);
        // No read is asked for until this reply is out: the connection is paused meanwhile.
        writing.set(true);
        statistics.paused();
        channel.write(buffer, null, onWritten);
      }

      @Override
      public void failed(Throwable e, Void attachment) {
        log.debug("connection {} ended: {}", channel, e.toString());
        close();
      }
    }

    private final class WriteHandler implements CompletionHandler<Integer, Void> {
      @Override
      public void completed(Integer n, Void attachment) {
        statistics.event();
        statistics.sent(n);
        if (buffer.hasRemaining()) {
          channel.write(buffer, null, this);
          return;
        }
        if (writing.compareAndSet(true, false)) {
          statistics.resumed();
        }
        readNext();
      }

      @Override
      public void failed(Throwable e, Void attachment) {
        log.debug("connection {} ended: {}", channel, e.toString());
        close();
      }
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
