package io.github.concurrencycourse.iomodels;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The three states every {@link io.github.concurrencycourse.common.echo.EchoServer} goes through
 * once each: new, running, closed. Thread-safe; a start that races with a close loses.
 */
final class ServerLifecycle {

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  /**
   * Claims the right to start.
   *
   * @throws IllegalStateException if the server was started or closed before
   */
  void beginStart() {
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      throw new IllegalStateException("an echo server starts once; this one is " + describe());
    }
  }

  /**
   * Marks the start finished.
   *
   * @return false if {@link #close()} came first, in which case the caller undoes the start
   */
  boolean finishStart() {
    return state.compareAndSet(State.STARTING, State.RUNNING);
  }

  /**
   * Moves to closed.
   *
   * @return true for the first close, false if the server was already closed
   */
  boolean close() {
    return state.getAndSet(State.CLOSED) != State.CLOSED;
  }

  /** Whether the server has been closed (or its start failed). */
  boolean isClosed() {
    return state.get() == State.CLOSED;
  }

  private String describe() {
    return state.get() == State.CLOSED ? "closed" : "already started";
  }
}
