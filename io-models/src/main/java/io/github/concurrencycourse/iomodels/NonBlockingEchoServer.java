package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-blocking IO model without a selector: one thread polls the listening socket and every
 * connection in turn, and each {@code accept()}, {@code read()} or {@code write()} returns at once,
 * with nothing ({@code null}, 0) when the kernel has nothing ready. The thread never waits in the
 * kernel, so it serves every client at once; the price is that it never stops asking either: with
 * no client at all it still turns the loop and burns a CPU core, which {@link #cpuTime()} shows.
 *
 * <p>An optional back-off parks the thread for a while after a turn in which nothing happened. It
 * trades latency (a request that arrives during the pause waits for its end) for CPU.
 *
 * <p>Each connection has one fixed buffer. The server reads from a connection only when its buffer
 * is empty, and keeps writing the reply before reading more, so a client that sends but never reads
 * stops being read from instead of filling the server's memory.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} may only be 1, the one polling thread. The
 * connection limit is honoured by not accepting while it is reached (newcomers wait in the listen
 * queue); the idle timeout by closing, on the loop's next turn, a connection that has sent nothing
 * for that long and has no reply waiting. A grace period is refused: {@code close} ends connections
 * at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The polling thread is a platform thread named
 * {@code non-blocking-echo}; {@link #close()} stops it and waits for it to end.
 */
public final class NonBlockingEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.WORKERS, Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(NonBlockingEchoServer.class);

  private static final int BUFFER_SIZE = 8192;

  private final Duration backOff;
  private final int maxConnections;
  private final long idleNanos;
  private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
  private final AtomicLong turns = new AtomicLong();
  private final AtomicLong idleTurns = new AtomicLong();
  private volatile ServerSocketChannel listener;
  private volatile Thread poller;

  /** A server that polls without pause: lowest latency, a full core while idle. */
  public NonBlockingEchoServer() {
    this(Duration.ZERO);
  }

  /**
   * A server that parks for {@code backOff} after every turn of its loop that found nothing to do.
   *
   * @throws IllegalArgumentException if {@code backOff} is negative
   */
  public NonBlockingEchoServer(Duration backOff) {
    this(EchoServerSettings.DEFAULTS, backOff);
  }

  /**
   * A server with these settings that parks for {@code backOff} after every idle turn.
   *
   * @throws IllegalArgumentException if {@code backOff} is negative, or the settings give a value
   *     to an option not in {@link #OPTIONS} or ask for more than one worker
   */
  public NonBlockingEchoServer(EchoServerSettings settings, Duration backOff) {
    Objects.requireNonNull(backOff, "backOff");
    if (backOff.isNegative()) {
      throw new IllegalArgumentException("backOff must not be negative, got " + backOff);
    }
    settings.requireSupported("non-blocking", OPTIONS);
    if (settings.workers() > 1) {
      throw new IllegalArgumentException(
          "the non-blocking echo server has exactly one polling thread; --workers "
              + settings.workers()
              + " cannot be honoured");
    }
    this.backOff = backOff;
    this.maxConnections = settings.maxConnections();
    this.idleNanos = settings.idleTimeout().toNanos();
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    listener = channel;
    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    channel.bind(endpoint, BACKLOG);
    channel.configureBlocking(false);
    Thread thread =
        threadFactory(Thread.ofPlatform().name("non-blocking-echo")).newThread(this::poll);
    poller = thread;
    thread.start();
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** The turns of the polling loop so far: one pass over the listening socket and every client. */
  public long loopTurns() {
    return turns.get();
  }

  /** The turns in which no connection arrived and no byte moved. */
  public long idleTurns() {
    return idleTurns.get();
  }

  /**
   * The CPU time the polling thread has used so far, or {@link Duration#ZERO} before it starts or
   * where the JVM does not measure thread CPU time.
   */
  public Duration cpuTime() {
    Thread thread = poller;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (thread == null || !threads.isThreadCpuTimeSupported()) {
      return Duration.ZERO;
    }
    long nanos = threads.getThreadCpuTime(thread.threadId());
    return nanos < 0 ? Duration.ZERO : Duration.ofNanos(nanos);
  }

  @Override
  protected void release() {
    Thread thread = poller;
    try {
      if (thread != null) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // The poller closes everything on its way out; this covers a start that failed before it
      // ran, and a close() interrupted while it waited.
      releaseAll();
    }
  }

  private void poll() {
    long parkNanos = backOff.toNanos();
    try {
      while (!isClosed()) {
        boolean progress = acceptOne();
        long now = idleNanos > 0 ? System.nanoTime() : 0;
        for (Iterator<Connection> it = connections.iterator(); it.hasNext(); ) {
          Connection connection = it.next();
          if (connection.step(now)) {
            progress = true;
          }
          if (connection.isClosed()) {
            it.remove();
          }
        }
        turns.incrementAndGet();
        if (!progress) {
          idleTurns.incrementAndGet();
          if (parkNanos > 0) {
            LockSupport.parkNanos(this, parkNanos);
          }
        }
      }
    } finally {
      releaseAll();
    }
  }

  private boolean acceptOne() {
    if (maxConnections > 0 && connections().active() >= maxConnections) {
      return false;
    }
    SocketChannel channel;
    try {
      channel = listener.accept();
    } catch (IOException e) {
      log.warn("accept failed on {}", addressOrNull(), e);
      return false;
    }
    if (channel == null) {
      return false;
    }
    connections().opened();
    Connection connection = new Connection(channel, System.nanoTime());
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connections.add(connection);
    } catch (IOException e) {
      log.debug("cannot set up {}: {}", channel, e.toString());
      connection.close();
    }
    return true;
  }

  private void releaseAll() {
    closeQuietly(listener);
    for (Connection connection : connections) {
      connection.close();
    }
    connections.clear();
  }

  /** One client: its channel and its buffer, which holds either nothing or a reply being sent. */
  private final class Connection {
    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean writing;
    private long lastRead;

    Connection(SocketChannel channel, long now) {
      this.channel = channel;
      this.lastRead = now;
    }

    /**
     * Moves what can move without waiting; returns whether any byte moved. {@code now} is the
     * turn's {@link System#nanoTime()} when an idle timeout is set.
     */
    boolean step(long now) {
      try {
        if (writing) {
          return flush();
        }
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
          close();
          return true;
        }
        if (n == 0) {
          if (idleNanos > 0 && now - lastRead >= idleNanos) {
            log.debug("connection {} idle for {} ns, closing it", channel, idleNanos);
            close();
            return true;
          }
          return false;
        }
        if (idleNanos > 0) {
          lastRead = now;
        }
        buffer.flip();
        UppercaseEcho.upperCaseInPlace(buffer);
        writing = true;
        flush();
        return true;
      } catch (IOException e) {
        log.debug("connection {} ended: {}", channel, e.toString());
        close();
        return true;
      }
    }

    private boolean flush() throws IOException {
      int n = channel.write(buffer);
      writing = buffer.hasRemaining();
      return n > 0;
    }

    boolean isClosed() {
      return closed.get();
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        closeQuietly(channel);
        connections().closed();
      }
    }
  }
}
