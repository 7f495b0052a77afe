package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The totals of one finished crawl: how many URLs ended in each {@link PageResult.Outcome}, why the
 * failures failed, how long it took and whether it was cancelled.
 *
 * <p>Immutable and thread-safe.
 *
 * @param outcomes how many results ended in each outcome (every outcome is present)
 * @param reasons how many failed, skipped or disallowed results gave each reason, sorted by reason
 * @param requests HTTP requests sent, robots.txt and retries included
 * @param elapsed wall time of the crawl
 * @param cancelled whether the crawl was cancelled before it ran out of URLs
 */
public record CrawlSummary(
    Map<PageResult.Outcome, Long> outcomes,
    SortedMap<String, Long> reasons,
    long requests,
    Duration elapsed,
    boolean cancelled) {

  /** Copies the maps; outcomes missing from {@code outcomes} count 0. */
  public CrawlSummary {
    EnumMap<PageResult.Outcome, Long> all = new EnumMap<>(PageResult.Outcome.class);
    for (PageResult.Outcome outcome : PageResult.Outcome.values()) {
      all.put(outcome, outcomes.getOrDefault(outcome, 0L));
    }
    outcomes = Collections.unmodifiableMap(all);
    reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons));
  }

  /** How many results ended in {@code outcome}. */
  public long count(PageResult.Outcome outcome) {
    return outcomes.get(outcome);
  }

  /** How many results the crawl produced: one per discovered URL. */
  public long total() {
    return outcomes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Pages fetched per second of wall time, or 0 for an instant crawl. */
  public double pagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds == 0 ? 0 : count(PageResult.Outcome.FETCHED) / seconds;
  }
}
