package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking IO model in its pure form: a thread calls {@code accept()}, then {@code read()} and
 * {@code write()} on that one client until it leaves, and is blocked inside each call until the
 * kernel has the data (or the room) and has copied it. While it serves one client it cannot notice
 * another: a client that connects meanwhile is accepted by the kernel, waits in the listen queue,
 * and is served when the thread comes back to {@code accept()}.
 *
 * <p>With one thread (the default, the model as Stevens draws it) the server serves one client at a
 * time. {@link #BlockingEchoServer(int)} starts several such threads, each blocking in {@code
 * accept()} on the same listening socket; it serves that many clients at once and no more. There is
 * no hand-off and no queue in the server: the kernel's listen queue is the only waiting room.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} is the number of threads; the idle timeout is
 * each connection's read timeout. A connection limit is refused: the threads are the limit, so
 * {@code --workers} says it. A grace period is refused too: {@code close} ends connections at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The server's threads are platform threads named
 * {@code blocking-echo-N}; {@link #close()} closes the listening socket and every live connection,
 * which unblocks them, and waits for them to end.
 */
public final class BlockingEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS = Set.of(Option.WORKERS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(BlockingEchoServer.class);

  private static final int BUFFER_SIZE = 8192;

  private final int threads;
  private final int idleTimeoutMillis;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  /** A server with one thread: one client at a time. */
  public BlockingEchoServer() {
    this(1);
  }

  /**
   * A server with {@code threads} threads, each serving one client at a time.
   *
   * @throws IllegalArgumentException if {@code threads} is not positive
   */
  public BlockingEchoServer(int threads) {
    this(EchoServerSettings.DEFAULTS.withWorkers(requirePositive(threads)));
  }

  /**
   * A server with {@code settings.workersOr(1)} threads and the settings' idle timeout.
   *
   * @throws IllegalArgumentException if the settings give a value to an option not in {@link
   *     #OPTIONS}
   */
  public BlockingEchoServer(EchoServerSettings settings) {
    settings.requireSupported("blocking", OPTIONS);
    this.threads = settings.workersOr(1);
    this.idleTimeoutMillis = settings.idleTimeoutMillis();
  }

  private static int requirePositive(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    return threads;
  }

  /** How many clients the server serves at once: its number of threads. */
  public int threads() {
    return threads;
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    ServerSocket socket = new ServerSocket();
    listener = socket;
    socket.setReuseAddress(true);
    socket.bind(endpoint, BACKLOG);
    ThreadFactory factory = threadFactory(Thread.ofPlatform().name("blocking-echo-", 1));
    for (int i = 0; i < threads; i++) {
      factory.newThread(this::acceptAndServe).start();
    }
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  protected void release() {
    closeQuietly(listener);
    for (Socket connection : live) {
      closeQuietly(connection);
    }
  }

  private void acceptAndServe() {
    byte[] buffer = new byte[BUFFER_SIZE];
    ServerSocket socket = listener;
    while (!isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (!isClosed()) {
          log.warn("accept failed on {}", addressOrNull(), e);
        }
        continue;
      }
      serve(connection, buffer);
    }
  }

  private void serve(Socket connection, byte[] buffer) {
    connections().opened();
    live.add(connection);
    try (connection) {
      // close() may have looked at the live set just before this connection joined it.
      if (isClosed()) {
        return;
      }
      connection.setTcpNoDelay(true);
      connection.setSoTimeout(idleTimeoutMillis);
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        UppercaseEcho.upperCaseInPlace(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      log.debug("connection {} idle for {} ms, closing it", connection, idleTimeoutMillis);
    } catch (IOException e) {
      log.debug("connection {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
    } finally {
      live.remove(connection);
      connections().closed();
    }
  }
}
