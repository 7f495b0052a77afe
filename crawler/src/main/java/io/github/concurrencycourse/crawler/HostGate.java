package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-host part of politeness: the host's waiting work, taken in arrival order by at most
 * {@code slots} workers, each resting the politeness delay after a request before it takes the
 * next; and the host's robots.txt, fetched once by whichever worker needs it first.
 *
 * <p>A worker is a slot: it takes work with {@link #next()} until none is left, so a busy host
 * keeps its workers running from one page to the next instead of waking a new thread for each. The
 * rest is measured from the end of a response to the start of the worker's next request, so with
 * one slot the host never sees two requests closer than the delay, however long each takes. The
 * delay is the larger of the crawler's and the host's Crawl-delay. Thread-safe.
 *
 * @param <W> the work waiting for the host
 */
final class HostGate<W> {

  private final int slots;
  private final Duration configuredDelay;
  private final FutureTask<RobotsRules> robots;
  private final AtomicBoolean robotsClaimed = new AtomicBoolean();
  private final Lock lock = new ReentrantLock();
  private final Queue<W> waiting = new ArrayDeque<>();
  private int workers;

  HostGate(int slots, Duration politenessDelay, Callable<RobotsRules> robotsFetch) {
    this.slots = slots;
    this.configuredDelay = politenessDelay;
    this.robots = new FutureTask<>(robotsFetch);
  }

  /**
   * Queues {@code work} for the host.
   *
   * @return true if a slot was free: the caller must then start a worker, which takes work with
   *     {@link #next()} until it returns null
   */
  boolean offer(W work) {
    lock.lock();
    try {
      waiting.add(work);
      if (workers < slots) {
        workers++;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** The next waiting work, or null when none is left: the calling worker's slot is then free. */
  W next() {
    lock.lock();
    try {
      W work = waiting.poll();
      if (work == null) {
        workers--;
      }
      return work;
    } finally {
      lock.unlock();
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

  /** Sleeps for the politeness delay: what a worker does after each request. */
  void rest() throws InterruptedException {
    Duration delay = delay();
    if (delay.isPositive()) {
      Thread.sleep(delay);
    }
  }
}
