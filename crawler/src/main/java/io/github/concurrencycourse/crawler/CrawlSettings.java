package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The validated configuration of a {@link Crawler}, as its builder produced it. Immutable and
 * thread-safe.
 */
record CrawlSettings(
    List<HttpUrl> seeds,
    Set<String> allowedHosts,
    int maxPages,
    int maxDepth,
    int concurrency,
    int perHostConcurrency,
    Duration politenessDelay,
    String userAgent,
    RetryPolicy retryPolicy,
    int maxRedirects,
    long maxBodyBytes) {

  CrawlSettings {
    seeds = List.copyOf(seeds);
    allowedHosts = Set.copyOf(allowedHosts);
  }
}
