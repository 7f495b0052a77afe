package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;

/** Closes a server on a thread that is interrupted, as a caller cancelled mid-shutdown would. */
final class InterruptedClose {

  private InterruptedClose() {}

  /**
   * Sets the calling thread's interrupt status, closes {@code server}, and returns whether the
   * status was still set when {@code close} returned; the status is cleared either way.
   */
  static boolean keepsTheInterrupt(EchoServer server) {
    Thread.currentThread().interrupt();
    boolean kept;
    try {
      server.close();
    } finally {
      kept = Thread.interrupted();
    }
    return kept;
  }
}
