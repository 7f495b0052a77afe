package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.crawler.PageResult.Outcome;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import io.github.concurrencycourse.testkit.SharedThreads;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A crawl stops promptly when cancelled or interrupted, and a closed crawler leaves nothing. */
@Timeout(60)
class CancellationTest {

  /** What "promptly" means on an idle machine; on a busy one, the time the crawl took to start. */
  private static final Duration PROMPT = Duration.ofSeconds(2);

  /** How long a crawl may take to stop before it counts as hanging. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  /** Every request waits far longer than the test is allowed to: only cancelling ends the crawl. */
  private static DemoSite verySlowSite() {
    return DemoSite.builder().pages(200).faults(false).latency(Duration.ofMinutes(5)).start();
  }

  private static Crawler crawlerOf(DemoSite site) {
    return Crawler.builder()
        .seed(site.baseUrl())
        .seed(site.localhostUrl())
        .allowedHosts(Set.of("127.0.0.1", "localhost"))
        .concurrency(8)
        .readTimeout(Duration.ofMinutes(10))
        .callTimeout(Duration.ofMinutes(10))
        .build();
  }

  @Test
  void cancelStopsAsPromptlyAsTheCrawlStartedAndReportsTheUnfinishedAsSkipped() throws Exception {
    try (DemoSite site = verySlowSite();
        Crawler crawler = crawlerOf(site);
        ExecutorService runner = Executors.newSingleThreadExecutor()) {
      ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
      long start = System.nanoTime();
      CompletableFuture<CrawlSummary> crawl =
          CompletableFuture.supplyAsync(() -> crawler.crawl(results::add), runner);
      await().pollInterval(Duration.ofMillis(1)).until(() -> crawler.progress().inFlight() == 2);
      Duration starting = Duration.ofNanos(System.nanoTime() - start);

      long cancelled = System.nanoTime();
      crawler.cancel();
      CrawlSummary summary = crawl.get(STOP_BOUND.toNanos(), TimeUnit.NANOSECONDS);
      Duration stopping = Duration.ofNanos(System.nanoTime() - cancelled);

      // Stopping waits for no answer (due in minutes) and no timeout (ten minutes): it ends two
      // calls and reports two URLs, less work than starting them, which the same load slows alike.
      Duration prompt = starting.compareTo(PROMPT) > 0 ? starting : PROMPT;
      assertThat(stopping).as("stopping, after %s starting", starting).isLessThan(prompt);
      assertThat(summary.cancelled()).isTrue();
      assertThat(results)
          .extracting(PageResult::url, PageResult::outcome, PageResult::error)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(site.baseUrl(), Outcome.SKIPPED, "cancelled"),
              org.assertj.core.groups.Tuple.tuple(
                  site.localhostUrl(), Outcome.SKIPPED, "cancelled"));
      assertThat(crawler.progress()).isEqualTo(CrawlProgress.IDLE);
    }
  }

  @Test
  void interruptingTheCrawlingThreadCancelsTheCrawlAndKeepsTheInterrupt() throws Exception {
    try (DemoSite site = verySlowSite();
        Crawler crawler = crawlerOf(site)) {
      AtomicBoolean stillInterrupted = new AtomicBoolean();
      CompletableFuture<CrawlSummary> summary = new CompletableFuture<>();
      Thread crawling =
          Thread.ofPlatform()
              .name("crawl-under-test")
              .start(
                  () -> {
                    summary.complete(crawler.crawl(result -> {}));
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                  });
      await().until(() -> crawler.progress().inFlight() == 2);

      crawling.interrupt();

      assertThat(crawling.join(STOP_BOUND)).isTrue();
      assertThat(summary.get().cancelled()).isTrue();
      assertThat(stillInterrupted).isTrue();
    }
  }

  @Test
  void closeLeavesNoCrawlerThreadNoOkHttpDispatcherThreadAndNoPooledConnection() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (DemoSite site = DemoSite.builder().pages(100).faults(false).start()) {
      Crawler crawler =
          Crawler.builder()
              .seed(site.baseUrl())
              .politenessDelay(Duration.ZERO)
              .perHostConcurrency(4)
              .build();
      CrawlSummary summary = crawler.crawl(result -> {});
      assertThat(summary.count(Outcome.FETCHED)).isEqualTo(100);
      assertThat(crawler.pooledConnections()).isPositive();

      crawler.close();

      assertThat(crawler.pooledConnections()).isZero();
      assertThatThrownBy(() -> crawler.crawl(result -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("crawler is closed");
    }
    // The libraries' JVM-wide threads (OkHttp's task runner, Netty's global executor), like the
    // JDK's own pollers, are shared and idle out by themselves. No thread of the crawler's own, no
    // OkHttp dispatcher thread and no other non-daemon thread may remain.
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Thread.getAllStackTraces().keySet().stream()
                            .filter(Thread::isAlive)
                            .filter(t -> !before.contains(t))
                            .filter(t -> !SharedThreads.isShared(t.getName()))
                            .filter(
                                t ->
                                    !t.isDaemon()
                                        || t.getName().startsWith("crawler-")
                                        || t.getName().startsWith("OkHttp Dispatcher")
                                        || t.getName().startsWith("OkHttp http"))
                            .map(Thread::getName)
                            .collect(Collectors.toSet()))
                    .isEmpty());
  }

  @Test
  void oneCrawlAtATime() throws Exception {
    try (DemoSite site = verySlowSite();
        Crawler crawler = crawlerOf(site);
        ExecutorService runner = Executors.newSingleThreadExecutor()) {
      CompletableFuture<CrawlSummary> first =
          CompletableFuture.supplyAsync(() -> crawler.crawl(result -> {}), runner);
      await().until(() -> crawler.progress().inFlight() > 0);

      assertThatThrownBy(() -> crawler.crawl(result -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already crawling");

      crawler.cancel();
      assertThat(first.get(STOP_BOUND.toNanos(), TimeUnit.NANOSECONDS).cancelled()).isTrue();
    }
  }
}
