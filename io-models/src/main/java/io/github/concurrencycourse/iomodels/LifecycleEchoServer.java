package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.ConnectionCounter;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.net.InetSocketAddress;

/**
 * What every IO-model server shares: the new → running → closed life cycle, the connection counts
 * and the bound address, so that each subclass holds only its own way of serving.
 *
 * <p>A subclass's {@code start} calls {@link #beginStart()}, binds, records the address with {@link
 * #bound}, starts serving and returns {@link #finishStart()}; its {@link #release()} frees what the
 * server holds and runs once, on the first {@link #close()}. Thread-safe: a start that races with a
 * close loses, as {@link EchoServer} requires.
 */
abstract class LifecycleEchoServer implements EchoServer {

  private final ServerLifecycle lifecycle = new ServerLifecycle();

  /** The live and total connections; subclasses record each accept and each close. */
  protected final ConnectionCounter counter = new ConnectionCounter();

  private volatile InetSocketAddress bound;

  /**
   * Claims the right to start.
   *
   * @throws IllegalStateException if the server was started or closed before
   */
  protected final void beginStart() {
    lifecycle.beginStart();
  }

  /** Gives up a start whose binding failed: the server is closed and holds nothing. */
  protected final void abandonStart() {
    lifecycle.close();
  }

  /** Records the address the listener is bound to. */
  protected final void bound(InetSocketAddress address) {
    bound = address;
  }

  /**
   * Marks the server running and returns its address.
   *
   * @throws IllegalStateException if {@link #close()} came first; the server is then released
   */
  protected final InetSocketAddress finishStart() {
    if (!lifecycle.finishStart()) {
      close();
      throw new IllegalStateException("the server was closed while it started");
    }
    return bound;
  }

  /** Whether the server has been closed, or its start failed. */
  protected final boolean isClosed() {
    return lifecycle.isClosed();
  }

  /** The bound address for log lines, or null before the listener is bound. */
  protected final InetSocketAddress boundOrNull() {
    return bound;
  }

  @Override
  public final InetSocketAddress address() {
    InetSocketAddress address = bound;
    if (address == null) {
      throw new IllegalStateException("the server was never started");
    }
    return address;
  }

  @Override
  public final int activeConnections() {
    return counter.active();
  }

  @Override
  public final long totalConnections() {
    return counter.total();
  }

  @Override
  public final void close() {
    if (lifecycle.close()) {
      release();
    }
  }

  /**
   * Closes the listener and every connection and waits for the server's threads, as {@link
   * EchoServer#close()} describes. Called once.
   */
  protected abstract void release();
}
