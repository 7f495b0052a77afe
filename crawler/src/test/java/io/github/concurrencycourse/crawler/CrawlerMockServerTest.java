package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.crawler.PageResult.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault answered by a scripted server, one at a time. */
@Timeout(30)
class CrawlerMockServerTest {

  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<MockResponse>> script = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(System.nanoTime());
            String path = request.getTarget();
            requested.add(path);
            List<MockResponse> answers = script.get(path);
            if (answers == null || answers.isEmpty()) {
              return new MockResponse.Builder().code(404).build();
            }
            return answers.size() == 1 ? answers.getFirst() : answers.removeFirst();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void answer(String path, MockResponse... responses) {
    script.put(path, new CopyOnWriteArrayList<>(List.of(responses)));
  }

  private static MockResponse html(String body) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "text/html; charset=utf-8")
        .body(body)
        .build();
  }

  private Crawler.Builder crawler() {
    return Crawler.builder()
        .seed(server.url("/").toString())
        .politenessDelay(Duration.ZERO)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .readTimeout(Duration.ofSeconds(2));
  }

  private Map<String, PageResult> crawl(Crawler.Builder builder) {
    ConcurrentLinkedQueue<PageResult> results = new ConcurrentLinkedQueue<>();
    try (Crawler crawler = builder.build()) {
      crawler.crawl(results::add);
    }
    return results.stream()
        .collect(
            Collectors.toMap(
                r -> r.url().substring(server.url("/").toString().length() - 1),
                Function.identity()));
  }

  @Test
  void robotsGroupForOurAgentWinsOverTheStarGroup() {
    answer(
        "/robots.txt",
        new MockResponse.Builder()
            .body(
                """
                User-agent: *
                Disallow: /

                User-agent: concurrency-course-crawler
                Disallow: /secret/
                Allow: /secret/open/
                """)
            .build());
    answer(
        "/",
        html(
            "<a href=/secret/a.html>a</a><a href=/secret/open/b.html>b</a><a href=/public.html>p</a>"));
    answer("/secret/open/b.html", html("open"));
    answer("/public.html", html("public"));

    Map<String, PageResult> results = crawl(crawler());

    assertThat(results.get("/secret/a.html").outcome()).isEqualTo(Outcome.DISALLOWED);
    assertThat(results.get("/secret/open/b.html").outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(results.get("/public.html").outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(requested).doesNotContain("/secret/a.html");
  }

  @Test
  void crawlDelayFromRobotsSpacesEveryRequestToTheHost() {
    answer(
        "/robots.txt",
        new MockResponse.Builder().body("User-agent: *\nCrawl-delay: 0.15\n").build());
    answer("/", html("<a href=/1.html>1</a><a href=/2.html>2</a><a href=/3.html>3</a>"));
    answer("/1.html", html("1"));
    answer("/2.html", html("2"));
    answer("/3.html", html("3"));

    Map<String, PageResult> results = crawl(crawler().perHostConcurrency(1).concurrency(4));

    assertThat(results).hasSize(4);
    assertThat(arrivals).hasSize(5);
    for (int i = 1; i < arrivals.size(); i++) {
      assertThat(arrivals.get(i) - arrivals.get(i - 1))
          .isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    }
  }

  @Test
  void unreachableRobotsForbidsTheHostAndMissingRobotsAllowsIt() {
    answer("/robots.txt", new MockResponse.Builder().code(503).build());
    answer("/", html("home"));
    assertThat(crawl(crawler().maxRetries(0)).get("/").outcome()).isEqualTo(Outcome.DISALLOWED);
    assertThat(requested).containsExactly("/robots.txt");

    script.remove("/robots.txt");
    requested.clear();
    assertThat(crawl(crawler()).get("/").outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(requested).containsExactly("/robots.txt", "/");
  }

  @Test
  void serverErrorsAreRetriedThenReported() {
    MockResponse unavailable = new MockResponse.Builder().code(503).build();
    answer("/", unavailable, unavailable, unavailable, html("too late"));

    PageResult home = crawl(crawler().maxRetries(2)).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(home.error()).isEqualTo("HTTP 503 (3 attempts)");
    assertThat(requested.stream().filter("/"::equals)).hasSize(3);
  }

  @Test
  void connectionDroppedBeforeTheResponseIsRetried() {
    answer(
        "/",
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build(),
        html("<title>Second time lucky</title>"));

    PageResult home = crawl(crawler()).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(home.title()).isEqualTo("Second time lucky");
  }

  @Test
  void retryAfterAsAnHttpDateIsHonoured() {
    String inOneSecond =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
    answer(
        "/",
        new MockResponse.Builder().code(429).addHeader("Retry-After", inOneSecond).build(),
        html("ok"));

    PageResult home = crawl(crawler()).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FETCHED);
    // The date has one-second resolution: at least one second of the two must have been waited.
    assertThat(arrivals.get(2) - arrivals.get(1))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void retryAfterLongerThanTheLimitFailsAtOnce() {
    answer("/", new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());

    PageResult home = crawl(crawler()).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(home.error()).isEqualTo("HTTP 429: Retry-After 3600 s is longer than 30 s");
    assertThat(requested.stream().filter("/"::equals)).hasSize(1);
  }

  @Test
  void declaredOversizedBodyIsRefusedBeforeReading() {
    answer("/", html("x".repeat(5_000)));

    PageResult home = crawl(crawler().maxBodyBytes(1_000)).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(home.error()).isEqualTo("too large: body declares 5000 bytes, limit 1000");
  }

  @Test
  void stalledResponseTimesOut() {
    answer("/", new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    PageResult home = crawl(crawler().maxRetries(0).readTimeout(Duration.ofMillis(200))).get("/");

    assertThat(home.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(home.error()).startsWith("timeout:");
  }

  @Test
  void redirectChainLongerThanTheLimitFails() {
    for (int i = 0; i < 5; i++) {
      String from = i == 0 ? "/" : "/r" + i;
      answer(
          from, new MockResponse.Builder().code(301).addHeader("Location", "/r" + (i + 1)).build());
    }
    answer("/r5", html("end"));

    Map<String, PageResult> results = crawl(crawler().maxRedirects(2));

    assertThat(results.get("/").outcome()).isEqualTo(Outcome.REDIRECTED);
    assertThat(results.get("/r1").outcome()).isEqualTo(Outcome.REDIRECTED);
    assertThat(results.get("/r2").error()).isEqualTo("too many redirects: more than 2");
    assertThat(results).doesNotContainKey("/r3");
  }

  @Test
  void depthAndPageLimitsSkipButStillReport() {
    answer("/", html("<a href=/a>a</a><a href=/b>b</a><a href=/c>c</a>"));
    answer("/a", html("<a href=/a/deeper>deeper</a>"));
    answer("/b", html("b"));
    answer("/c", html("c"));

    Map<String, PageResult> depthLimited = crawl(crawler().maxDepth(1).perHostConcurrency(1));
    assertThat(depthLimited.get("/a/deeper").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(depthLimited.get("/a/deeper").error()).isEqualTo("max depth: deeper than 1");
    assertThat(requested).doesNotContain("/a/deeper");

    // The home page admits its links in document order: /a is the second page; /b, /c and the
    // link found on /a are over the limit.
    requested.clear();
    Map<String, PageResult> pageLimited = crawl(crawler().maxPages(2));
    assertThat(pageLimited).hasSize(5);
    assertThat(pageLimited.get("/a").outcome()).isEqualTo(Outcome.FETCHED);
    assertThat(List.of("/b", "/c", "/a/deeper"))
        .allSatisfy(
            path ->
                assertThat(pageLimited.get(path))
                    .extracting(PageResult::outcome, PageResult::error)
                    .containsExactly(Outcome.SKIPPED, "max pages: more than 2"));
    assertThat(requested).containsExactlyInAnyOrder("/robots.txt", "/", "/a");
  }

  @Test
  void linksAreNormalizedAndOffSiteLinksIgnored() {
    answer(
        "/",
        html(
            """
            <a href="/x.html#one">x</a><a href="/x.html#two">x again</a>
            <a href="HTTP://%s/./y/../x.html">x, spelled oddly</a>
            <a href="http://elsewhere.invalid/">off site</a>
            """
                .formatted(server.getHostName() + ":" + server.getPort())));
    answer("/x.html", html("x"));

    Map<String, PageResult> results = crawl(crawler());

    assertThat(results).containsOnlyKeys("/", "/x.html");
    assertThat(results.get("/").outLinks()).isEqualTo(2);
    assertThat(requested.stream().filter("/x.html"::equals)).hasSize(1);
  }

  @Test
  void aFailingConsumerCancelsTheCrawlAndIsRethrown() {
    answer("/", html("<a href=/a>a</a>"));
    try (Crawler crawler = crawler().build()) {
      assertThatThrownBy(
              () ->
                  crawler.crawl(
                      result -> {
                        throw new IllegalStateException("disk full");
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("disk full");
    }
  }

  @Test
  void badSettingsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> Crawler.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed");
    assertThatThrownBy(() -> Crawler.builder().seed("ftp://example.invalid/").build())
        .hasMessageContaining("not an http or https URL: 'ftp://example.invalid/'");
    assertThatThrownBy(() -> crawler().perHostConcurrency(0).build())
        .hasMessage("perHostConcurrency must be >= 1, got 0");
    assertThatThrownBy(() -> crawler().readTimeout(Duration.ZERO).build())
        .hasMessageContaining("readTimeout must be positive");
  }
}
