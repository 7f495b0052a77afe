package io.github.concurrencycourse.common.launch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A thread that waits in {@link Lock#lockInterruptibly()}, for the tests that interrupt such a
 * wait: it records how the wait ended, releasing the lock at once if it got it.
 */
final class InterruptibleLockWaiter {

  private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
  private final Thread thread;

  private InterruptibleLockWaiter(Lock lock) {
    thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    lock.lockInterruptibly();
                    lock.unlock();
                    outcome.complete(null);
                  } catch (InterruptedException e) {
                    outcome.complete(e);
                  }
                });
  }

  /** Starts a thread that waits for {@code lock}. */
  static InterruptibleLockWaiter start(Lock lock) {
    return new InterruptibleLockWaiter(lock);
  }

  /** The waiting thread, to watch its state and to interrupt it. */
  Thread thread() {
    return thread;
  }

  /**
   * How the wait ended: the {@link InterruptedException} it ended with, or {@code null} if the
   * thread got the lock.
   *
   * @throws java.util.concurrent.TimeoutException if the wait has not ended within {@code timeout}
   */
  Throwable outcome(Duration timeout) throws Exception {
    return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
