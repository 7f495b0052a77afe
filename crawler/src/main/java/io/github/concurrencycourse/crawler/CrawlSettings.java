package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Crawler} crawls: its limits, its politeness, its timeouts and its retries. Where to
 * crawl (the seeds and the allowed hosts) is the crawler's own.
 *
 * <p>Set them with {@link Crawler#builder()}, which starts from {@link #DEFAULTS}; read a crawler's
 * with {@link Crawler#settings()}. Every instance is valid: the constructor refuses a value out of
 * range with an {@link IllegalArgumentException} naming it. Immutable and thread-safe.
 *
 * @param maxPages how many URLs are admitted to the crawl; later ones are skipped
 * @param maxDepth how many links away from a seed the crawl goes (seeds are depth 0)
 * @param concurrency requests in flight over all hosts
 * @param perHostConcurrency requests in flight to one host; never more than {@code concurrency}, a
 *     larger value is lowered to it
 * @param politenessDelay the rest a host slot takes after each response before its next request; a
 *     host's robots.txt Crawl-delay, if longer, replaces it for that host
 * @param userAgent the User-Agent header, whose product token also selects the robots.txt group
 * @param connectTimeout the longest wait to connect
 * @param readTimeout the longest silence while reading a response (and while sending a request)
 * @param callTimeout the longest whole request, body included
 * @param maxRetries retries after a first failed attempt (an I/O error, a 5xx or a 429)
 * @param baseBackoff the back-off before the first retry, doubled for each further one, jittered
 * @param maxBackoff the longest back-off, before jitter
 * @param maxRetryAfter the longest {@code Retry-After} the crawler waits for; longer ones fail
 * @param maxRedirects how many redirects in a row are followed before the URL fails
 * @param maxBodyBytes the largest body read; larger ones fail the URL
 */
public record CrawlSettings(
    int maxPages,
    int maxDepth,
    int concurrency,
    int perHostConcurrency,
    Duration politenessDelay,
    String userAgent,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxRetries,
    Duration baseBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    int maxRedirects,
    long maxBodyBytes) {

  /**
   * What a crawler uses unless told otherwise: the defaults each {@link Crawler.Builder} method
   * states.
   */
  public static final CrawlSettings DEFAULTS =
      new CrawlSettings(
          1_000,
          5,
          16,
          2,
          Duration.ofMillis(100),
          "concurrency-course-crawler/1.0",
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          2,
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          5,
          2L * 1024 * 1024);

  /**
   * Checks the settings and lowers {@code perHostConcurrency} to {@code concurrency}.
   *
   * @throws IllegalArgumentException naming the first setting out of range: a limit below 1 (below
   *     0 for the depth, retries and redirects), a negative delay or back-off, a timeout that is
   *     not positive, or a blank User-Agent
   * @throws NullPointerException if a duration or the User-Agent is null
   */
  public CrawlSettings {
    requireAtLeast("maxPages", maxPages, 1);
    requireAtLeast("maxDepth", maxDepth, 0);
    requireAtLeast("concurrency", concurrency, 1);
    requireAtLeast("perHostConcurrency", perHostConcurrency, 1);
    requireAtLeast("maxRetries", maxRetries, 0);
    requireAtLeast("maxRedirects", maxRedirects, 0);
    requireAtLeast("maxBodyBytes", maxBodyBytes, 1);
    requireNotNegative("politenessDelay", politenessDelay);
    requireNotNegative("baseBackoff", baseBackoff);
    requireNotNegative("maxBackoff", maxBackoff);
    requireNotNegative("maxRetryAfter", maxRetryAfter);
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("callTimeout", callTimeout);
    if (Objects.requireNonNull(userAgent, "userAgent").isBlank()) {
      throw new IllegalArgumentException("userAgent must not be blank");
    }
    perHostConcurrency = Math.min(perHostConcurrency, concurrency);
  }

  /** The retry part of the settings, as the crawl applies it. */
  RetryPolicy retryPolicy() {
    return new RetryPolicy(maxRetries, baseBackoff, maxBackoff, maxRetryAfter);
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  private static void requireNotNegative(String name, Duration value) {
    if (Objects.requireNonNull(value, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (!Objects.requireNonNull(value, name).isPositive()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
