package io.github.concurrencycourse.common.echo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live and total connection counts an {@link EchoServer} reports, kept the way the interface
 * specifies them.
 *
 * <p>A server calls {@link #opened()} when it accepts a connection and {@link #closed()} once it
 * has closed that connection's socket. Thread-safe and lock-free: any thread may call any method.
 * Each count is read atomically, but the two are not read together, so {@link #active()} and {@link
 * #total()} taken one after the other may reflect different moments.
 *
 * <p>Memory consistency: actions of a thread before it calls {@code opened()} or {@code closed()}
 * happen-before actions of another thread after it reads a count that reflects that call.
 */
public final class ConnectionCounter {

  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong total = new AtomicLong();

  /** Creates a counter at zero. */
  public ConnectionCounter() {}

  /** Records an accepted connection: both counts go up by one. */
  public void opened() {
    total.incrementAndGet();
    active.incrementAndGet();
  }

  /**
   * Records that the server has closed one connection: the live count goes down by one.
   *
   * @throws IllegalStateException if no connection is open, which means {@code closed()} was called
   *     twice for one connection; the count is left at zero
   */
  public void closed() {
    int before = active.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    if (before == 0) {
      throw new IllegalStateException("closed() called with no open connection");
    }
  }

  /** The connections opened and not yet closed. */
  public int active() {
    return active.get();
  }

  /** The connections opened since the counter was created; never decreases. */
  public long total() {
    return total.get();
  }

  @Override
  public String toString() {
    return "connections: " + active() + " live, " + total() + " total";
  }
}
