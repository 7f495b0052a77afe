package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A wait on a selector up to a deadline, interruptibly: how {@link MessageChannel} waits to read
 * and {@link ChannelServer} waits to accept. A timed wait never calls {@code select(0)}, which
 * would wait for ever. Stateless.
 */
final class SelectorWait {

  private SelectorWait() {}

  /**
   * Waits until a key of {@code selector} may be ready, the deadline passes, or the thread is
   * interrupted; clears the selected keys first.
   *
   * @param timed whether {@code deadline} applies; if not, waits for a key or an interrupt
   * @param deadline the {@link System#nanoTime()} to give up at
   * @param waitingFor what the caller waits for, for the interrupt's message ({@code "accepting
   *     on"})
   * @param socketPath the socket the caller waits on, for the interrupt's message
   * @return {@code false} if the deadline had passed
   * @throws InterruptedException if the thread is interrupted, naming what it waited for
   */
  static boolean await(
      Selector selector, boolean timed, long deadline, String waitingFor, Path socketPath)
      throws IOException, InterruptedException {
    long millis = 0;
    if (timed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }
    selector.selectedKeys().clear();
    selector.select(millis);
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while " + waitingFor + " " + socketPath);
    }
    return true;
  }
}
