package io.github.concurrencycourse.iomodels;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * A thread factory that remembers the threads it made, so that a server's {@code close} can wait
 * until they have ended: an executor or event loop group reports its termination from its last
 * thread while that thread is still on its way out, and {@code EchoServer.close} promises that
 * every thread the server started has ended.
 *
 * <p>Thread-safe.
 */
final class RememberingThreadFactory implements ThreadFactory {

  private final ThreadFactory delegate;
  private final Queue<Thread> made = new ConcurrentLinkedQueue<>();

  /** Makes threads with {@code delegate}, which names them. */
  RememberingThreadFactory(ThreadFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = delegate.newThread(task);
    made.add(thread);
    return thread;
  }

  /**
   * Waits for every thread made so far to end, at most {@code timeoutEach} for each.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void awaitEnd(Duration timeoutEach) throws InterruptedException {
    for (Thread thread : made) {
      thread.join(timeoutEach);
    }
  }
}
