package io.github.concurrencycourse.crawler;

import java.time.Duration;

/**
 * A snapshot of a crawl's counters, for a progress line. The counters are read one by one while the
 * crawl goes on, so they are each exact but not necessarily from the same instant. Immutable.
 *
 * @param done URLs with a result
 * @param inFlight HTTP requests sent and not yet answered
 * @param errors results that failed
 * @param fetched results fetched
 * @param elapsed time since the crawl started
 */
public record CrawlProgress(long done, int inFlight, long errors, long fetched, Duration elapsed) {

  /** The progress of no crawl at all. */
  public static final CrawlProgress IDLE = new CrawlProgress(0, 0, 0, 0, Duration.ZERO);

  /** Pages fetched per second so far, or 0 at the very start. */
  public double pagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds == 0 ? 0 : fetched / seconds;
  }
}
