package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Thread-safe as {@link EchoServer} requires. The server's threads are platform threads named
 * {@code blocking-echo-N}; {@link #close()} closes the listening socket and every live connection,
 * which unblocks them, and waits for them to end.
 */
public final class BlockingEchoServer extends LifecycleEchoServer {

  private static final Logger log = LoggerFactory.getLogger(BlockingEchoServer.class);

  private static final int BUFFER_SIZE = 8192;

  /** Room in the kernel's queue of connections accepted but not yet taken by a thread. */
  static final int BACKLOG = 1024;

  private final int threads;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private final List<Thread> workers = new ArrayList<>();
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
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
  }

  /** How many clients the server serves at once: its number of threads. */
  public int threads() {
    return threads;
  }

  @Override
  public InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
    Objects.requireNonNull(endpoint, "endpoint");
    beginStart();
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(endpoint, BACKLOG);
    } catch (IOException | RuntimeException e) {
      socket.close();
      abandonStart();
      throw e;
    }
    listener = socket;
    bound((InetSocketAddress) socket.getLocalSocketAddress());
    synchronized (workers) {
      for (int i = 1; i <= threads; i++) {
        workers.add(Thread.ofPlatform().name("blocking-echo-" + i).start(this::acceptAndServe));
      }
    }
    return finishStart();
  }

  @Override
  protected void release() {
    ServerSocket socket = listener;
    if (socket != null) {
      closeQuietly(socket);
    }
    for (Socket connection : live) {
      closeQuietly(connection);
    }
    List<Thread> started;
    synchronized (workers) {
      started = List.copyOf(workers);
    }
    try {
      for (Thread worker : started) {
        worker.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
          log.warn("accept failed on {}", boundOrNull(), e);
        }
        continue;
      }
      serve(connection, buffer);
    }
  }

  private void serve(Socket connection, byte[] buffer) {
    counter.opened();
    live.add(connection);
    try (connection) {
      // close() may have looked at the live set just before this connection joined it.
      if (isClosed()) {
        return;
      }
      connection.setTcpNoDelay(true);
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        UppercaseEcho.upperCaseInPlace(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      log.debug("connection {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
    } finally {
      live.remove(connection);
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
