package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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
  void theConnectionPoolFollowsTheConcurrencySoConnectionsAreReusedNotReopened() throws Exception {
    // Pages are answered in bursts of `concurrency`: each waits until that many are in progress.
    // That is more requests in flight than OkHttp's default pool keeps idle (5), so a pool that did
    // not follow the concurrency would close surplus connections after each burst and reopen them.
    int concurrency = 12;
    int pages = concurrency * 10;
    CyclicBarrier burst = new CyclicBarrier(concurrency);
    ServerLoad load = new ServerLoad();
    try (MockWebServer server =
            serve(
                load,
                request -> {
                  if (request.getTarget().equals("/")) {
                    return html(homePage(pages));
                  }
                  return rendezvous(burst) ? html("<title>page</title>") : unavailable();
                });
        Crawler crawler =
            Crawler.builder()
                .seed("http://127.0.0.1:" + server.getPort() + "/")
                .concurrency(concurrency)
                .perHostConcurrency(concurrency)
                // Between bursts every connection lies idle in the pool for a while, long enough
                // for a pool that keeps fewer to close the surplus.
                .politenessDelay(Duration.ofMillis(20))
                .maxRetries(0)
                .build()) {
      CrawlSummary summary = crawler.crawl(result -> {});

      assertThat(burst.isBroken()).as("a burst never filled up").isFalse();
      assertThat(summary.count(PageResult.Outcome.FETCHED)).isEqualTo(1L + pages);
      assertThat(load.mostAtOnce("127.0.0.1")).isEqualTo(concurrency);
      assertThat(load.requests()).isEqualTo(2 + pages); // robots.txt and home too
      assertThat(load.connections()).isBetween(1, concurrency);
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
  void hostsAreLimitedIndependently() throws Exception {
    // Each host's home page is answered only once the other host's home page is being asked for
    // too: a rendezvous that only a crawler fetching from both hosts at the same time can pass. A
    // crawler whose per-host slot were one slot for all hosts would never get there, and the
    // rendezvous would give up after its bound.
    int pagesPerHost = 30;
    CyclicBarrier bothHomePages = new CyclicBarrier(2);
    ServerLoad load = new ServerLoad();
    try (MockWebServer server =
            serve(
                load,
                request -> {
                  if (request.getTarget().equals("/")) {
                    return rendezvous(bothHomePages) ? html(homePage(pagesPerHost)) : unavailable();
                  }
                  // A little latency, so that a second request to the same host, were one sent,
                  // would find this one still in progress.
                  Thread.sleep(PAGE_LATENCY);
                  return html("<title>page</title>");
                });
        Crawler crawler =
            Crawler.builder()
                .seed("http://127.0.0.1:" + server.getPort() + "/")
                .seed("http://localhost:" + server.getPort() + "/")
                .allowedHosts(Set.of("127.0.0.1", "localhost"))
                .concurrency(16)
                .perHostConcurrency(1)
                .politenessDelay(Duration.ZERO)
                .maxRetries(0)
                .build()) {
      CrawlSummary summary = crawler.crawl(result -> {});

      assertThat(bothHomePages.isBroken())
          .as("the two hosts' home pages were never asked for at the same time")
          .isFalse();
      assertThat(summary.count(PageResult.Outcome.FETCHED)).isEqualTo(2L * (1 + pagesPerHost));
      assertThat(load.mostAtOnce("127.0.0.1")).isEqualTo(1);
      assertThat(load.mostAtOnce("localhost")).isEqualTo(1);
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

  /** Bounds each wait at a rendezvous, which normally takes milliseconds. */
  private static final Duration RENDEZVOUS_BOUND = Duration.ofSeconds(10);

  private static final Duration PAGE_LATENCY = Duration.ofMillis(5);

  /** What a test server answers to one request; may block, as a slow server does. */
  private interface Answer {
    MockResponse to(RecordedRequest request) throws InterruptedException;
  }

  /**
   * Starts a server on 127.0.0.1 that answers robots.txt with 404 (crawl everything) and every
   * other request with {@code answer}, counting in {@code load} the requests it is answering.
   */
  private static MockWebServer serve(ServerLoad load, Answer answer) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            String host = request.getUrl().host();
            load.arrived(host, request.getConnectionIndex());
            try {
              return request.getTarget().equals("/robots.txt")
                  ? new MockResponse.Builder().code(404).build()
                  : answer.to(request);
            } finally {
              load.answered(host);
            }
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /**
   * Waits at {@code barrier}, at most {@link #RENDEZVOUS_BOUND}; false if it broke or timed out.
   */
  private static boolean rendezvous(CyclicBarrier barrier) throws InterruptedException {
    try {
      barrier.await(RENDEZVOUS_BOUND.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (BrokenBarrierException | TimeoutException e) {
      return false;
    }
  }

  private static String homePage(int pages) {
    StringBuilder html = new StringBuilder("<title>home</title>");
    for (int i = 1; i <= pages; i++) {
      html.append("<a href=\"/page/").append(i).append(".html\">").append(i).append("</a>");
    }
    return html.toString();
  }

  private static MockResponse html(String body) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "text/html; charset=utf-8")
        .body(body)
        .build();
  }

  private static MockResponse unavailable() {
    return new MockResponse.Builder().code(503).build();
  }

  /**
   * The requests a server is answering, per host, and the most it answered at once; the requests
   * and the connections it has seen.
   */
  private static final class ServerLoad {
    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    void arrived(String host, int connection) {
      requests.incrementAndGet();
      connections.add(connection);
      int inProgress = now.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
      most.computeIfAbsent(host, h -> new AtomicInteger()).accumulateAndGet(inProgress, Math::max);
    }

    void answered(String host) {
      now.get(host).decrementAndGet();
    }

    int mostAtOnce(String host) {
      AtomicInteger max = most.get(host);
      return max == null ? 0 : max.get();
    }

    int requests() {
      return requests.get();
    }

    int connections() {
      return connections.size();
    }
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
