package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-host and global limits and the politeness delay, measured by the server. */
@Timeout(60)
class PolitenessTest {

  @Test
  void perHostAndGlobalLimitsHoldOnTheServerSide() {
    try (DemoSite site =
        DemoSite.builder().pages(150).faults(false).latency(Duration.ofMillis(10)).start()) {
      assertThat(crawlBothHosts(site, 3, 2)).hasSize(2 * 150);
      assertThat(site.maxConcurrentRequests("127.0.0.1")).isBetween(1, 2);
      assertThat(site.maxConcurrentRequests("localhost")).isBetween(1, 2);
      assertThat(site.maxConcurrentRequests()).isBetween(1, 3);
    }
  }

  @Test
  void theConnectionPoolFollowsTheConcurrencySoConnectionsAreReusedNotReopened() {
    // More requests in flight than OkHttp's default pool keeps idle (5): a pool that did not
    // follow the concurrency would close surplus connections after each burst and reopen them.
    int concurrency = 12;
    try (DemoSite site =
            DemoSite.builder().pages(400).faults(false).latency(Duration.ofMillis(5)).start();
        Crawler crawler =
            Crawler.builder()
                .seed(site.baseUrl())
                // Concurrent crawls are not breadth-first: a page may first be reached by a
                // longer path, so the default depth limit would skip a few pages now and then.
                .maxDepth(100)
                .concurrency(concurrency)
                .perHostConcurrency(concurrency)
                .politenessDelay(Duration.ZERO)
                .build()) {
      CrawlSummary summary = crawler.crawl(result -> {});
      assertThat(summary.count(PageResult.Outcome.FETCHED)).isEqualTo(400);
      assertThat(site.maxConcurrentRequests()).isBetween(6, concurrency);
      assertThat(site.visits()).hasSize(401);
      assertThat(site.connections()).isBetween(1, concurrency);
    }
  }

  @Test
  void oneSlotHostRestsThePolitenessDelayBetweenResponseAndNextRequest() {
    Duration delay = Duration.ofMillis(40);
    try (DemoSite site = DemoSite.builder().pages(25).faults(false).start();
        Crawler crawler =
            Crawler.builder()
                .seed(site.baseUrl())
                .concurrency(8)
                .perHostConcurrency(1)
                .politenessDelay(delay)
                .build()) {
      CrawlSummary summary = crawler.crawl(result -> {});
      assertThat(summary.count(PageResult.Outcome.FETCHED)).isEqualTo(25);
      List<DemoSite.Visit> visits =
          site.visits().stream()
              .sorted(Comparator.comparingLong(DemoSite.Visit::arrivedNanos))
              .toList();
      assertThat(visits).hasSize(26); // robots.txt and 25 pages
      assertThat(site.maxConcurrentRequests()).isEqualTo(1);
      for (int i = 1; i < visits.size(); i++) {
        long rest = visits.get(i).arrivedNanos() - visits.get(i - 1).answeredNanos();
        assertThat(rest)
            .as("rest before %s", visits.get(i).path())
            .isGreaterThanOrEqualTo(delay.toNanos());
      }
    }
  }

  @Test
  void hostsAreLimitedIndependently() {
    try (DemoSite site =
        DemoSite.builder().pages(60).faults(false).latency(Duration.ofMillis(5)).start()) {
      crawlBothHosts(site, 16, 1);
      Map<String, Long> perHost =
          site.visits().stream()
              .collect(Collectors.groupingBy(DemoSite.Visit::host, Collectors.counting()));
      assertThat(perHost).containsEntry("127.0.0.1", 61L).containsEntry("localhost", 61L);
      assertThat(site.maxConcurrentRequests("127.0.0.1")).isEqualTo(1);
      assertThat(site.maxConcurrentRequests("localhost")).isEqualTo(1);
    }
  }

  @Test
  void aHostSlotIsOneWorkerThatTakesTheHostsPagesInTurn() {
    // With one slot per host the queue of each host only empties at the end of the crawl, so one
    // worker thread per host reports every page of it, rather than a thread per page.
    Map<String, Set<Thread>> reporters = new ConcurrentHashMap<>();
    try (DemoSite site = DemoSite.builder().pages(40).faults(false).start();
        Crawler crawler =
            Crawler.builder()
                .seed(site.baseUrl())
                .seed(site.localhostUrl())
                .allowedHosts(Set.of("127.0.0.1", "localhost"))
                .concurrency(4)
                .perHostConcurrency(1)
                .politenessDelay(Duration.ZERO)
                .build()) {
      CrawlSummary summary =
          crawler.crawl(
              result ->
                  reporters
                      .computeIfAbsent(
                          URI.create(result.url()).getHost(), host -> ConcurrentHashMap.newKeySet())
                      .add(Thread.currentThread()));
      assertThat(summary.count(PageResult.Outcome.FETCHED)).isEqualTo(2 * 40);
    }
    assertThat(reporters).containsOnlyKeys("127.0.0.1", "localhost");
    assertThat(reporters.values())
        .allSatisfy(
            threads ->
                assertThat(threads)
                    .singleElement()
                    .satisfies(thread -> assertThat(thread.isVirtual()).isTrue()));
    assertThat(reporters.get("127.0.0.1")).doesNotContainAnyElementsOf(reporters.get("localhost"));
  }

  /**
   * Crawls the site under both its host names, {@code 127.0.0.1} and {@code localhost}, with no
   * politeness delay, and returns every result.
   */
  private static List<PageResult> crawlBothHosts(DemoSite site, int concurrency, int perHost) {
    ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
    try (Crawler crawler =
        Crawler.builder()
            .seed(site.baseUrl())
            .seed(site.localhostUrl())
            .allowedHosts(Set.of("127.0.0.1", "localhost"))
            .concurrency(concurrency)
            .perHostConcurrency(perHost)
            .politenessDelay(Duration.ZERO)
            .build()) {
      crawler.crawl(results::add);
    }
    return List.copyOf(results);
  }
}
