package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and after how long a failed request is tried again: exponential back-off with jitter,
 * and the server's own {@code Retry-After} where it gives one.
 *
 * <p>Attempt {@code n} (0 for the first retry) waits a random time between half and all of {@code
 * min(maxBackoff, baseBackoff * 2^n)}; the jitter keeps many crawlers from retrying in step. A
 * {@code Retry-After} is honoured as a lower bound, unless it is longer than {@code maxRetryAfter},
 * in which case the request is not retried. Immutable and thread-safe.
 *
 * @param maxRetries retries after the first attempt; 0 means never retry
 * @param baseBackoff the back-off before the first retry, before jitter
 * @param maxBackoff the longest back-off, before jitter
 * @param maxRetryAfter the longest {@code Retry-After} the crawler will wait
 */
record RetryPolicy(
    int maxRetries, Duration baseBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  /** Whether a response with this status is worth another try. */
  static boolean retryableStatus(int status) {
    return status == 429 || status >= 500;
  }

  /** The back-off before retry {@code retry} (0-based), jittered. */
  Duration backoff(int retry) {
    long base = baseBackoff.toNanos();
    long capped =
        retry >= 62 || base > (maxBackoff.toNanos() >> Math.min(retry, 62))
            ? maxBackoff.toNanos()
            : base << retry;
    long half = capped / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }

  /**
   * Parses a {@code Retry-After} value: delta-seconds or an HTTP-date, relative to {@code now}.
   * Returns empty if the header is absent or malformed; a date in the past counts as zero.
   */
  static Optional<Duration> parseRetryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, when);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
