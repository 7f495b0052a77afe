package io.github.concurrencycourse.crawler.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.crawler.CrawlSummary;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.demo.DemoSite.Fault;
import io.github.concurrencycourse.crawler.demo.DemoSite.Visit;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo site's own promises: timing, isolation of a stalled client, a clean close, and a crawler
 * set up to crawl all of it.
 */
@Timeout(60)
class DemoSiteTest {

  private static final Duration LATENCY = Duration.ofMillis(100);

  @Test
  void everyAnswerLeavesNoSoonerThanTheLatencyAfterItsRequest() throws Exception {
    try (DemoSite site = DemoSite.builder().pages(20).latency(LATENCY).start();
        HttpClient client = HttpClient.newHttpClient()) {
      for (int i = 1; i < 6; i++) {
        long sent = System.nanoTime();
        HttpResponse<String> response = get(client, site.baseUrl() + "page/" + i + ".html");
        assertThat(System.nanoTime() - sent).isGreaterThanOrEqualTo(LATENCY.toNanos());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<title>Page " + i + "</title>");
      }
      assertThat(site.visits())
          .hasSize(5)
          .allSatisfy(
              visit ->
                  assertThat(visit.answeredNanos() - visit.arrivedNanos())
                      .isGreaterThanOrEqualTo(LATENCY.toNanos()));
    }
  }

  @Test
  void aClientThatStopsReadingHoldsUpOnlyItsOwnAnswer() throws Exception {
    try (DemoSite site =
            DemoSite.builder().latency(Duration.ZERO).oversizedBytes(32 * 1024 * 1024).start();
        Socket stalled = new Socket(InetAddress.getLoopbackAddress(), site.port());
        HttpClient client = HttpClient.newHttpClient()) {
      String bigPath = path(site.urls(Fault.OVERSIZED).getFirst());
      request(stalled, bigPath);
      // Never read: 32 MiB cannot fit in the socket buffers, so its write never completes. The
      // visit is recorded just before the answer is written: from then on the write has begun.
      await().until(() -> site.visits().stream().map(Visit::path).anyMatch(bigPath::equals));

      // The stalled write never completes, so answers that arrive at all were not held up by it; a
      // writer held by the stalled client would hold them until get() gives up.
      for (int i = 1; i < 4; i++) {
        assertThat(get(client, site.baseUrl() + "page/" + i + ".html").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenALaterOneIsDueFirst() throws Exception {
    try (DemoSite site = DemoSite.builder().slowDelay(Duration.ofMillis(300)).start();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), site.port())) {
      socket.setSoTimeout(10_000);
      String slowPath = path(site.urls(Fault.SLOW).getFirst());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + slowPath
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  + "GET /page/1.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      String received = readUntil(socket.getInputStream(), "<title>Page 1</title>");

      assertThat(received.indexOf("<title>Slow</title>"))
          .isNotNegative()
          .isLessThan(received.indexOf("<title>Page 1</title>"));
    }
  }

  @Test
  void aMalformedRequestClosesItsConnectionAndNothingElse() throws Exception {
    try (DemoSite site = DemoSite.builder().pages(10).start();
        Socket bad = new Socket(InetAddress.getLoopbackAddress(), site.port());
        HttpClient client = HttpClient.newHttpClient()) {
      bad.setSoTimeout(10_000);
      bad.getOutputStream()
          .write("NOT HTTP AT ALL \u0001\u0002\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      bad.getOutputStream().flush();

      String answer = new String(readAll(bad.getInputStream()), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(get(client, site.baseUrl() + "page/1.html").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void closeDropsAnswersNotYetDueAndLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    DemoSite site = DemoSite.builder().slowDelay(Duration.ofMinutes(5)).start();
    try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), site.port())) {
      String slowPath = path(site.urls(Fault.SLOW).getFirst());
      request(waiting, slowPath);
      await().until(() -> site.hits(slowPath) == 1);

      long start = System.nanoTime();
      site.close();

      // Far from the five minutes after which the answer would be due, however busy the machine.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      waiting.setSoTimeout(5_000);
      assertThat(readAll(waiting.getInputStream())).isEmpty();
      assertThat(site.visits()).extracting(Visit::path).doesNotContain(slowPath);
    }
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .filter(name -> name.startsWith("demo-site")))
        .isEmpty();
  }

  @Test
  void itsCrawlerBuilderCrawlsEveryUrlOfTheSiteAndNoOther() {
    // Three pages: the malformed page's links to /page/5-7.html lead past the last page.
    try (DemoSite site =
            DemoSite.builder().pages(3).latency(LATENCY).slowDelay(Duration.ofSeconds(3)).start();
        Crawler crawler = site.crawlerBuilder().concurrency(4).build()) {
      Queue<PageResult> results = new ConcurrentLinkedQueue<>();

      CrawlSummary summary = crawler.crawl(results::add);

      assertThat(results)
          .extracting(PageResult::url)
          .containsExactlyInAnyOrderElementsOf(site.expectedUrls());
      assertThat(summary.count(PageResult.Outcome.SKIPPED)).isZero();
      // The read timeout waits out the latency of every page, and gives up on the slow one; the
      // three missing pages and the malformed page's three links past the site answer 404.
      assertThat(summary.reasons())
          .containsOnly(
              entry("failed: timeout", 1L),
              entry("failed: HTTP 404", 6L),
              entry("failed: redirect loop", 1L),
              entry("failed: too large", 1L),
              entry("disallowed: robots.txt", 5L));
      assertThat(site.expectedUrls())
          .contains(site.baseUrl() + "page/5.html", site.baseUrl() + "loop/b.html");
      assertThat(crawler.settings().perHostConcurrency()).isEqualTo(4);
      assertThat(crawler.settings().politenessDelay()).isZero();
    }
  }

  private static HttpResponse<String> get(HttpClient client, String url)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void request(Socket socket, String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Everything the server sent before closing; a reset counts as closed too, a timeout not. */
  private static byte[] readAll(InputStream in) throws SocketTimeoutException {
    try {
      return in.readAllBytes();
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Reads until {@code marker} has arrived; fails on a timeout or an early end. */
  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
      int read = in.read(buffer);
      if (read < 0) {
        throw new EOFException("ended before '" + marker + "': " + received);
      }
      received.write(buffer, 0, read);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  private static String path(String url) {
    return URI.create(url).getRawPath();
  }
}
