package io.github.concurrencycourse.testkit;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.ConnectionCounter;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference uppercase-echo server that proves {@link EchoServerContract} can be met: one
 * acceptor thread and one platform thread per connection, as the seed's threaded server, with an
 * optional connection limit: the acceptor takes a connection only while fewer than the limit are
 * open, so newcomers wait in the listen backlog.
 *
 * <p>Built with a {@link Defect}, it breaks the protocol in one known way, so that the contract can
 * be shown to catch it. Each defect is a single marked branch at the place where a real server
 * would go wrong. Thread-safe.
 */
final class ReferenceEchoServer implements EchoServer {

  /** A way to get the protocol wrong, one at a time. */
  enum Defect {
    /** Correct. */
    NONE,
    /** Echoes the bytes without upper-casing them. */
    KEEPS_CASE,
    /** Serves each connection on the acceptor thread, so one client at a time. */
    ONE_CLIENT_AT_A_TIME,
    /** Keeps a connection open after the client's EOF, as the seed's loop does. */
    IGNORES_EOF,
    /** Stops accepting when one connection is reset. */
    DIES_ON_RESET,
    /** Closes only the listening socket, leaving connection threads running. */
    LEAKS_CONNECTIONS,
    /** Never counts a connection as closed: the live count only grows. */
    LIVE_COUNT_NEVER_DROPS,
    /** Counts every accepted connection twice in the total. */
    TOTAL_COUNTS_TWICE,
    /** Accepts whatever its connection limit, as a server whose semaphore was forgotten. */
    IGNORES_LIMIT,
    /** Answers a second start of a running server with its address instead of refusing it. */
    STARTS_TWICE,
    /** Swallows the failure to bind and reports the endpoint asked for as bound. */
    HIDES_BIND_FAILURE,
    /** Closes the connections and stops its threads on close, but leaves the listener bound. */
    KEEPS_PORT,
  }

  private static final Logger log = LoggerFactory.getLogger(ReferenceEchoServer.class);

  /** The listeners that {@link Defect#KEEPS_PORT} servers left bound, for the tests to free. */
  private static final Queue<ServerSocket> LEFT_BOUND = new ConcurrentLinkedQueue<>();

  private final Defect defect;

  /** One permit per connection the server may hold, or null for no limit. */
  private final Semaphore slots;

  private final ConnectionCounter counter = new ConnectionCounter();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object lock = new Object();

  @GuardedBy("lock")
  private boolean used;

  @GuardedBy("lock")
  private ServerSocket listener;

  @GuardedBy("lock")
  private InetSocketAddress address;

  @GuardedBy("lock")
  private Thread acceptor;

  @GuardedBy("lock")
  private final Set<Socket> connections = new HashSet<>();

  @GuardedBy("lock")
  private final Set<Thread> handlers = new HashSet<>();

  ReferenceEchoServer() {
    this(Defect.NONE);
  }

  ReferenceEchoServer(Defect defect) {
    this(defect, 0);
  }

  /** A server that holds at most {@code maxConnections} connections at once, 0 for no limit. */
  ReferenceEchoServer(Defect defect, int maxConnections) {
    this.defect = defect;
    this.slots = maxConnections > 0 ? new Semaphore(maxConnections) : null;
  }

  /** Closes the listeners that {@link Defect#KEEPS_PORT} servers left bound. */
  static void freeTheListenersLeftBound() {
    ServerSocket socket;
    while ((socket = LEFT_BOUND.poll()) != null) {
      closeQuietly(socket);
    }
  }

  @Override
  public InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
    synchronized (lock) {
      if (used) {
        if (defect == Defect.STARTS_TWICE && address != null && closed.getCount() > 0) {
          return address;
        }
        throw new IllegalStateException("an echo server starts once; this one already did");
      }
      used = true;
      ServerSocket socket = new ServerSocket();
      try {
        socket.setReuseAddress(true);
        socket.bind(endpoint);
      } catch (IOException e) {
        socket.close();
        if (defect == Defect.HIDES_BIND_FAILURE) {
          address = endpoint;
          return endpoint;
        }
        closed.countDown();
        throw e;
      }
      listener = socket;
      address = (InetSocketAddress) socket.getLocalSocketAddress();
      acceptor =
          Thread.ofPlatform().name("echo-acceptor-" + address.getPort()).start(this::acceptLoop);
      return address;
    }
  }

  @Override
  public InetSocketAddress address() {
    synchronized (lock) {
      if (address == null) {
        throw new IllegalStateException("the server was never started");
      }
      return address;
    }
  }

  @Override
  public int activeConnections() {
    return counter.active();
  }

  @Override
  public long totalConnections() {
    return defect == Defect.TOTAL_COUNTS_TWICE ? 2 * counter.total() : counter.total();
  }

  @Override
  public void close() {
    List<Thread> threads = new ArrayList<>();
    synchronized (lock) {
      used = true;
      if (closed.getCount() == 0) {
        return;
      }
      closed.countDown();
      if (defect == Defect.KEEPS_PORT && listener != null) {
        LEFT_BOUND.add(listener);
        wakeAcceptor();
      } else {
        closeQuietly(listener);
      }
      if (acceptor != null) {
        if (slots != null) {
          acceptor.interrupt(); // it may be waiting for a connection slot rather than in accept()
        }
        threads.add(acceptor);
      }
      if (defect == Defect.LEAKS_CONNECTIONS) {
        return;
      }
      connections.forEach(ReferenceEchoServer::closeQuietly);
      threads.addAll(handlers);
    }
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Connects to the listener, so that an acceptor blocked in accept() returns and sees close. */
  @GuardedBy("lock")
  private void wakeAcceptor() {
    try (Socket wake = new Socket(address.getAddress(), address.getPort())) {
      log.debug("woke the acceptor from {}", wake.getLocalSocketAddress());
    } catch (IOException e) {
      log.debug("cannot wake the acceptor: {}", e.toString());
    }
  }

  private void acceptLoop() {
    ServerSocket socket;
    synchronized (lock) {
      socket = listener;
    }
    while (true) {
      if (slots != null && defect != Defect.IGNORES_LIMIT) {
        try {
          slots.acquire();
        } catch (InterruptedException e) {
          return; // close() wakes the acceptor this way
        }
      }
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        // close() closed the listener (or a DIES_ON_RESET handler did): stop accepting.
        return;
      }
      counter.opened();
      if (defect == Defect.ONE_CLIENT_AT_A_TIME) {
        if (register(connection)) {
          serve(connection);
        }
      } else {
        startHandler(connection);
      }
      if (closed.getCount() == 0) {
        return; // a KEEPS_PORT server was woken by close() through its still open listener
      }
    }
  }

  /** Records a connection, or closes it if the server closed meanwhile. */
  private boolean register(Socket connection) {
    synchronized (lock) {
      if (closed.getCount() == 0) {
        closeQuietly(connection);
        connectionEnded();
        return false;
      }
      connections.add(connection);
      return true;
    }
  }

  /**
   * Starts the connection's thread under the lock, so that close() either sees the thread or the
   * connection is refused: no thread starts after close() has taken its list.
   */
  private void startHandler(Socket connection) {
    synchronized (lock) {
      if (register(connection)) {
        handlers.add(
            Thread.ofPlatform()
                .name("echo-connection-" + counter.total())
                .start(() -> serve(connection)));
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (defect != Defect.KEEPS_CASE) {
          UppercaseEcho.upperCaseInPlace(buffer, 0, n);
        }
        out.write(buffer, 0, n);
      }
      if (defect == Defect.IGNORES_EOF) {
        closed.await();
      }
    } catch (IOException e) {
      log.debug("connection {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
      if (defect == Defect.DIES_ON_RESET) {
        synchronized (lock) {
          closeQuietly(listener);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (lock) {
        connections.remove(connection);
        handlers.remove(Thread.currentThread());
      }
      connectionEnded();
    }
  }

  /** Counts a connection the server has closed and gives its slot back. */
  private void connectionEnded() {
    if (defect != Defect.LIVE_COUNT_NEVER_DROPS) {
      counter.closed();
    }
    if (slots != null && defect != Defect.IGNORES_LIMIT) {
      slots.release();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {} failed: {}", closeable, e.toString());
    }
  }
}
