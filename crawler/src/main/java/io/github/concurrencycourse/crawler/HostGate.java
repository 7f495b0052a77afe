package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-host part of politeness: at most {@code slots} requests to the host at once, a rest of
 * the politeness delay after each request before its slot is used again, and the host's robots.txt
 * fetched once, by whichever task needs it first.
 *
 * <p>The rest is measured from the end of a response to the start of the next request through the
 * same slot, so with one slot the host never sees two requests closer than the delay, however long
 * each takes. The delay is the larger of the crawler's and the host's Crawl-delay. Thread-safe.
 */
final class HostGate {

  private final Semaphore slots;
  private final Duration configuredDelay;
  private final FutureTask<RobotsRules> robots;
  private final AtomicBoolean robotsClaimed = new AtomicBoolean();

  HostGate(int slots, Duration politenessDelay, Callable<RobotsRules> robotsFetch) {
    this.slots = new Semaphore(slots);
    this.configuredDelay = politenessDelay;
    this.robots = new FutureTask<>(robotsFetch);
  }

  /** Waits for a free slot. */
  void acquire() throws InterruptedException {
    slots.acquire();
  }

  /** Gives a slot back at once: for a slot that sent no request. */
  void release() {
    slots.release();
  }

  /**
   * Rests for the politeness delay, then gives the slot back. The slot is returned even if the rest
   * is interrupted, and the interrupt is then thrown.
   */
  void restAndRelease() throws InterruptedException {
    try {
      rest();
    } finally {
      slots.release();
    }
  }

  /**
   * The host's robots rules. The first caller fetches them on its own thread, holding its slot so
   * that the fetch is as polite as any request, and rests after it; later callers wait for that
   * fetch. A fetch that failed unexpectedly counts as "disallow all".
   *
   * @throws InterruptedException if interrupted while fetching, resting or waiting, or if the fetch
   *     itself was interrupted
   */
  RobotsRules robots() throws InterruptedException {
    if (robotsClaimed.compareAndSet(false, true)) {
      robots.run();
      rest();
    }
    try {
      return robots.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InterruptedException) {
        throw new InterruptedException("the robots.txt fetch was interrupted");
      }
      return RobotsRules.disallowAll();
    }
  }

  /** The politeness delay now in force for this host. */
  Duration delay() {
    if (robots.state() != Future.State.SUCCESS) {
      return configuredDelay;
    }
    Duration crawlDelay = robots.resultNow().crawlDelay().orElse(Duration.ZERO);
    return crawlDelay.compareTo(configuredDelay) > 0 ? crawlDelay : configuredDelay;
  }

  private void rest() throws InterruptedException {
    Duration delay = delay();
    if (delay.isPositive()) {
      Thread.sleep(delay);
    }
  }
}
