package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.crawler.PageResult.Outcome;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import io.github.concurrencycourse.crawler.demo.DemoSite.Fault;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One crawl of the whole demo site, faults included, shared by the tests below: every page is
 * reported exactly once and every fault is handled as the crawler promises.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class DemoSiteCrawlTest {

  private DemoSite site;
  private CrawlSummary summary;
  private List<PageResult> results;
  private Map<String, PageResult> byUrl;

  @BeforeAll
  void crawlTheWholeSite() {
    site = DemoSite.builder().slowDelay(Duration.ofSeconds(3)).start();
    ConcurrentLinkedQueue<PageResult> collected = new ConcurrentLinkedQueue<>();
    try (Crawler crawler =
        Crawler.builder()
            .seed(site.baseUrl())
            .maxPages(5_000)
            .maxDepth(10)
            .concurrency(16)
            .perHostConcurrency(8)
            .politenessDelay(Duration.ZERO)
            // Below the slow page's 3 s, which a busy machine only lengthens: it times out at every
            // attempt. An ordinary page that misses it on a loaded machine is retried, as allowed.
            .readTimeout(Duration.ofMillis(1500))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
            .build()) {
      summary = crawler.crawl(collected::add);
    }
    results = List.copyOf(collected);
    byUrl = results.stream().collect(Collectors.toMap(PageResult::url, Function.identity()));
  }

  @AfterAll
  void stopTheSite() {
    site.close();
  }

  private PageResult only(Fault fault) {
    List<String> urls = site.urls(fault);
    assertThat(urls).hasSize(1);
    return byUrl.get(urls.getFirst());
  }

  private static String path(String url) {
    return url.substring(url.indexOf('/', "http://".length()));
  }

  @Test
  void everyPageOfTheSiteIsReportedExactlyOnce() {
    assertThat(results).extracting(PageResult::url).doesNotHaveDuplicates();
    assertThat(byUrl.keySet()).containsExactlyInAnyOrderElementsOf(site.expectedUrls());
    assertThat(summary.total()).isEqualTo(results.size());
    assertThat(summary.cancelled()).isFalse();
  }

  @Test
  void noUrlIsFetchedTwiceExceptToRetry() {
    // A URL is asked for again only after its previous request called for a retry: a retryable
    // status, or a request the crawler gave up on, which the site sees as a connection closed
    // before the answer was due. On an idle machine that leaves the flaky, rate-limited and slow
    // URLs alone; on a busy one an ordinary page may miss the read timeout too, and its retry is
    // as legitimate.
    for (PageResult result : results) {
      List<DemoSite.Visit> visits = visitsOf(path(result.url()));
      if (result.outcome() == Outcome.DISALLOWED) {
        assertThat(site.hits(path(result.url()))).as(result.url()).isZero();
      } else {
        assertThat(visits).as(result.url()).isNotEmpty();
        assertOnlyRetriesFollow(visits);
      }
    }
    assertThat(visitsOf("/robots.txt")).isNotEmpty();
    assertOnlyRetriesFollow(visitsOf("/robots.txt"));
    for (String url : site.urls(Fault.FLAKY)) {
      assertThat(visitsOf(path(url)))
          .as(url)
          .hasSizeGreaterThanOrEqualTo(2)
          .first()
          .extracting(DemoSite.Visit::status)
          .isEqualTo(500);
    }
    assertThat(visitsOf(path(only(Fault.RATE_LIMITED).url())))
        .hasSizeGreaterThanOrEqualTo(2)
        .first()
        .extracting(DemoSite.Visit::status)
        .isEqualTo(429);
    // The third request for the slow page may still be waiting for its answer: counted on arrival.
    String slow = path(only(Fault.SLOW).url());
    assertThat(site.hits(slow)).isEqualTo(3);
    assertThat(visitsOf(slow)).allMatch(DemoSite.Visit::abandoned);
  }

  /** Every visit but the last called for a retry: 429 or 5xx, or the client gave up. */
  private static void assertOnlyRetriesFollow(List<DemoSite.Visit> visits) {
    for (DemoSite.Visit visit : visits.subList(0, visits.size() - 1)) {
      assertThat(visit.abandoned() || visit.status() == 429 || visit.status() >= 500)
          .as(
              "%s answered %d to a waiting client, yet was asked for again",
              visit.path(), visit.status())
          .isTrue();
    }
  }

  /** The answered requests for {@code path}, in the order they arrived. */
  private List<DemoSite.Visit> visitsOf(String path) {
    return site.visits().stream()
        .filter(visit -> visit.path().equals(path))
        .sorted(Comparator.comparingLong(DemoSite.Visit::arrivedNanos))
        .toList();
  }

  @Test
  void missingPagesFailWithTheirStatusAndAreNotRetried() {
    for (String url : site.urls(Fault.MISSING)) {
      assertThat(byUrl.get(url))
          .extracting(PageResult::outcome, PageResult::status, PageResult::error)
          .containsExactly(Outcome.FAILED, 404, "HTTP 404");
    }
  }

  @Test
  void serverErrorsThatRecoverAreFetchedOnRetry() {
    for (String url : site.urls(Fault.FLAKY)) {
      assertThat(byUrl.get(url).outcome()).as(url).isEqualTo(Outcome.FETCHED);
      assertThat(byUrl.get(url).status()).isEqualTo(200);
    }
  }

  @Test
  void rateLimitedPageIsRetriedNoSoonerThanRetryAfter() {
    PageResult busy = only(Fault.RATE_LIMITED);
    assertThat(busy.outcome()).isEqualTo(Outcome.FETCHED);
    List<DemoSite.Visit> visits = visitsOf(path(busy.url()));
    assertThat(visits).hasSizeGreaterThanOrEqualTo(2);
    assertThat(visits.get(0).status()).isEqualTo(429);
    assertThat(visits.get(1).arrivedNanos() - visits.get(0).answeredNanos())
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void slowPageTimesOutAfterEveryRetry() {
    PageResult slow = only(Fault.SLOW);
    assertThat(slow.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(slow.error()).startsWith("timeout").endsWith("(3 attempts)");
  }

  @Test
  void redirectLoopIsReportedAndEnds() {
    PageResult a = only(Fault.REDIRECT_LOOP);
    assertThat(a.outcome()).isEqualTo(Outcome.REDIRECTED);
    assertThat(a.status()).isEqualTo(302);
    PageResult b = byUrl.get(a.finalUrl());
    assertThat(b.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(b.error()).startsWith("redirect loop: " + a.url() + " -> " + b.url());
  }

  @Test
  void robotsDisallowedAreaIsNeverRequested() {
    for (String url : site.urls(Fault.DISALLOWED)) {
      assertThat(byUrl.get(url).outcome()).isEqualTo(Outcome.DISALLOWED);
      assertThat(site.hits(path(url))).isZero();
    }
  }

  @Test
  void oversizedPageFailsWithoutBeingKept() {
    PageResult big = only(Fault.OVERSIZED);
    assertThat(big.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(big.error()).startsWith("too large");
    assertThat(big.bytes()).isZero();
  }

  @Test
  void nonHtmlIsFetchedButNotParsed() {
    PageResult pdf = only(Fault.NOT_HTML);
    assertThat(pdf.outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(pdf.bytes()).isPositive();
    assertThat(pdf.title()).isNull();
    assertThat(pdf.outLinks()).isZero();
  }

  @Test
  void malformedHtmlStillYieldsItsLinksResolvedAgainstTheBase() {
    PageResult malformed = only(Fault.MALFORMED);
    assertThat(malformed.outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(malformed.title()).isEqualTo("Malformed");
    // 5.html, ../page/6.html and 7.html against <base href="/page/">, and one external link;
    // javascript: and mailto: links are not links to crawl.
    assertThat(malformed.outLinks()).isEqualTo(4);
  }

  @Test
  void summaryCountsEveryOutcomeAndReason() {
    assertThat(summary.count(Outcome.DISALLOWED)).isEqualTo(5);
    assertThat(summary.count(Outcome.REDIRECTED)).isEqualTo(1);
    assertThat(summary.reasons())
        .containsEntry("failed: HTTP 404", 3L)
        .containsEntry("failed: redirect loop", 1L)
        .containsEntry("failed: too large", 1L)
        .containsEntry("failed: timeout", 1L)
        .containsEntry("disallowed: robots.txt", 5L);
  }
}
