package io.github.concurrencycourse.crawler;

import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where a {@link Crawler} crawls: its normalized seeds, and the hosts whose links it follows.
 * Immutable and thread-safe.
 */
record CrawlScope(List<HttpUrl> seeds, Set<String> allowedHosts) {

  CrawlScope {
    seeds = List.copyOf(seeds);
    allowedHosts = Set.copyOf(allowedHosts);
  }
}
