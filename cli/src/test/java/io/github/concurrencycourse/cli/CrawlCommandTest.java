package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void demoCrawlAccountsForEveryUrlAndWritesOneJsonLineEach() throws Exception {
    Path results = directory.resolve("results.jsonl");

    int exit =
        console.run(
            "crawl",
            "--demo",
            "--demo-pages",
            "60",
            "--demo-latency",
            "PT0S",
            "--out",
            results.toString(),
            "--progress",
            "PT0.2S");

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

    int exit =
        console.run(
            "crawl",
            "--demo",
            "--demo-pages",
            "20",
            "--demo-latency",
            "PT0S",
            "--format",
            "text",
            "--out",
            results.toString());

    assertThat(exit).as(console.err()).isZero();
    assertThat(Files.readAllLines(results, StandardCharsets.UTF_8))
        .hasSize(20 + 18)
        .allMatch(line -> line.matches("url\\[http://127\\.0\\.0\\.1:\\d+/.*] 大小\\[\\d+]"));
  }

  @Test
  void neitherUrlsNorDemoIsAUsageError() {
    assertThat(console.run("crawl")).isEqualTo(2);
    assertThat(console.err()).contains("give the URLs to crawl, or --demo");
  }

  @Test
  void aBadUrlIsAUsageErrorNamingIt() {
    assertThat(console.run("crawl", "ftp://example.invalid/")).isEqualTo(2);
    assertThat(console.err()).contains("not an http or https URL: 'ftp://example.invalid/'");
  }

  @Test
  void anUnwritableOutputIsAUsageErrorAndNothingIsCrawled() {
    Path nowhere = directory.resolve("missing-directory").resolve("results.jsonl");
    assertThat(console.run("crawl", "--demo", "--demo-pages", "5", "--out", nowhere.toString()))
        .isEqualTo(2);
    assertThat(console.err()).contains("cannot write results to " + nowhere);
    assertThat(console.out()).doesNotContain("Crawled");
  }
}
