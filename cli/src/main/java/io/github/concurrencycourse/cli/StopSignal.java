package io.github.concurrencycourse.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a long-running command ({@code course serve}) should stop, and how it reports that it has.
 *
 * <p>{@link #onShutdown()} stops at Ctrl-C (SIGINT) or SIGTERM: the JVM's shutdown hook asks the
 * command to stop and then waits, bounded, until the command says it has cleaned up, because the
 * JVM halts as soon as its hooks return. Thread-safe.
 */
final class StopSignal {

  private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(30);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** A signal that only {@link #requestStop()} fires. */
  StopSignal() {}

  /** A signal fired by the JVM's shutdown (Ctrl-C, SIGTERM, System.exit). */
  static StopSignal onShutdown() {
    StopSignal signal = new StopSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("course-shutdown")
                .unstarted(
                    () -> {
                      signal.requestStop();
                      signal.awaitStopped(CLEANUP_DEADLINE);
                    }));
    return signal;
  }

  /** Asks the command to stop. */
  void requestStop() {
    stopRequested.countDown();
  }

  /**
   * Waits up to {@code poll} for a stop request.
   *
   * @return whether a stop was requested
   */
  boolean awaitStopRequest(Duration poll) throws InterruptedException {
    return stopRequested.await(poll.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Called by the command once it has released everything it held. */
  void stopped() {
    stopped.countDown();
  }

  /** Waits up to {@code deadline} for the command to report that it stopped. */
  boolean awaitStopped(Duration deadline) {
    try {
      return stopped.await(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
