package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.crawler.CrawlSettings;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(60)
class CrawlCommandTest {

  /** 60 pages and the 18 fault URLs (the redirect loop's second URL included). */
  private static final int DEMO_URLS = 60 + 18;

  private final CourseConsole console = new CourseConsole();

  @TempDir Path directory;

  /** Runs {@code course crawl --demo} on a site of {@code pages} that answers at once. */
  private int crawlDemo(int pages, String... more) {
    String[] demo = {"crawl", "--demo", "--demo-pages", "" + pages, "--demo-latency", "PT0S"};
    return console.run(Stream.concat(Stream.of(demo), Stream.of(more)).toArray(String[]::new));
  }

  /** The line a crawl prints before it starts, for {@code settings}. */
  private static String settingsLine(CrawlSettings settings) {
    return "Settings: " + String.join(" ", CrawlCommand.describe(settings)) + "\n";
  }

  @Test
  void demoCrawlAccountsForEveryUrlAndWritesOneJsonLineEach() throws Exception {
    Path results = directory.resolve("results.jsonl");

    int exit = crawlDemo(60, "--out", results.toString(), "--progress", "PT0.2S");

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out())
        .contains("Crawled " + DEMO_URLS + " URLs")
        .contains("failed: HTTP 404", "failed: redirect loop", "disallowed: robots.txt")
        .contains("Every URL of the demo site is accounted for: " + DEMO_URLS + " of " + DEMO_URLS);
    List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(DEMO_URLS);
    JsonMapper json = JsonMapper.builder().build();
    assertThat(lines.stream().map(json::readTree).map(node -> node.get("url").asString()))
        .doesNotHaveDuplicates()
        .allMatch(url -> url.startsWith("http://127.0.0.1:"));
    JsonNode first = json.readTree(lines.getFirst());
    assertThat(first.propertyNames())
        .contains(
            "url",
            "finalUrl",
            "outcome",
            "status",
            "bytes",
            "title",
            "outLinks",
            "depth",
            "elapsedMs",
            "error");
  }

  @Test
  void textFormatWritesTheSeedsLines() throws Exception {
    Path results = directory.resolve("db.txt");

    int exit = crawlDemo(20, "--format", "text", "--out", results.toString());

    assertThat(exit).as(console.err()).isZero();
    assertThat(Files.readAllLines(results, StandardCharsets.UTF_8))
        .hasSize(20 + 18)
        .allMatch(line -> line.matches("url\\[http://127\\.0\\.0\\.1:\\d+/.*] 大小\\[\\d+]"));
  }

  @Test
  void aCrawlGivenNoOptionsCrawlsWithTheCrawlersDefaults() {
    try (DemoSite site = DemoSite.builder().pages(6).faults(false).start()) {
      int exit = console.run("crawl", site.baseUrl());

      assertThat(exit).as(console.err()).isZero();
      assertThat(console.out())
          .startsWith(settingsLine(CrawlSettings.DEFAULTS))
          .contains("Crawled 6 URLs");
      // The default two per host, as the site saw them.
      assertThat(site.maxConcurrentRequests()).isBetween(1, 2);
    }
  }

  @Test
  void theOptionsGivenChangeTheirSettingsAndNoOther() {
    try (DemoSite site = DemoSite.builder().pages(6).faults(false).start();
        Crawler expected =
            Crawler.builder()
                .seed(site.baseUrl())
                .concurrency(3)
                .perHostConcurrency(1)
                .politenessDelay(Duration.ZERO)
                .maxRetries(0)
                .build()) {
      int exit =
          console.run(
              "crawl",
              site.baseUrl(),
              "--concurrency",
              "3",
              "--per-host",
              "1",
              "--delay",
              "PT0S",
              "--retries",
              "0");

      assertThat(exit).as(console.err()).isZero();
      assertThat(console.out()).startsWith(settingsLine(expected.settings()));
      assertThat(site.maxConcurrentRequests()).isEqualTo(1);
    }
  }

  @Test
  void aDemoCrawlTakesTheSitesSettingsAndTheOptionsGivenOverThem() {
    int exit = crawlDemo(20, "--concurrency", "4", "--max-depth", "9");

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out())
        .contains("--max-pages " + (20 + 18) + " --max-depth 9 --concurrency 4 --per-host 4")
        .contains("--delay PT0S --timeout PT0.5S");
  }

  @Test
  void anUnwritableOutputIsAUsageErrorAndNothingIsCrawled() {
    Path nowhere = directory.resolve("missing-directory").resolve("results.jsonl");

    int exit = crawlDemo(5, "--out", nowhere.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(console.err()).contains("cannot write results to " + nowhere);
    assertThat(console.out()).doesNotContain("Crawled");
  }
}
