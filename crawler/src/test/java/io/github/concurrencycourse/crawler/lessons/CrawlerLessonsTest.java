package io.github.concurrencycourse.crawler.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.testkit.SharedThreads;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CrawlerLessonsTest {

  private static Set<String> liveNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !t.isDaemon())
        .map(Thread::getName)
        .filter(name -> !SharedThreads.isShared(name))
        .collect(Collectors.toSet());
  }

  private static Set<String> seedUrls(SeedCrawlLines output) {
    return output.downloads().keySet();
  }

  @Test
  void callbacksDownloadOnAPoolOfThreeAndParseOnTheSameThread() throws Exception {
    Set<String> before = liveNonDaemonThreads();

    SeedCrawlLines output = SeedCrawlLines.run(new CallbacksLesson());

    assertThat(output.downloads()).hasSize(5);
    assertThat(output.downloads().values()).allMatch(name -> name.matches("pool-thread-[123]"));
    assertThat(output.parses()).isEqualTo(output.downloads());
    // db.txt: one whole line per page, whichever thread appended it.
    assertThat(output.sizes().keySet()).isEqualTo(seedUrls(output));
    assertThat(output.sizes().values()).allMatch(size -> size > 2_000);
    assertThat(output.numberAfter("served at most ")).isBetween(1, 3);
    assertThat(liveNonDaemonThreads()).isSubsetOf(before);
  }

  @Test
  void asyncCallsStayWithinTheDispatcherLimitsAndLeaveNoThread() throws Exception {
    Set<String> before = liveNonDaemonThreads();

    SeedCrawlLines output = SeedCrawlLines.run(new AsyncLesson());

    assertThat(output.downloads()).hasSize(5);
    // OkHttp renames a dispatcher thread after the call it runs; the id tells the threads apart.
    assertThat(output.downloads().values())
        .allMatch(name -> name.matches("OkHttp http://127\\.0\\.0\\.1:\\d+/\\.\\.\\. #\\d+"));
    assertThat(output.parses()).isEqualTo(output.downloads());
    assertThat(output.sizes().keySet()).isEqualTo(seedUrls(output));
    // All five sites share one host, so the per-host limit is the one that binds.
    assertThat(output.numberAfter("served at most "))
        .isBetween(1, AsyncLesson.MAX_REQUESTS_PER_HOST);
    assertThat(liveNonDaemonThreads()).isSubsetOf(before);
  }

  @Test
  void virtualThreadPerPageDownloadsAndParsesOnTheSameVirtualThread() throws Exception {
    SeedCrawlLines output = SeedCrawlLines.run(new VirtualLesson());

    assertThat(output.downloads()).hasSize(5);
    assertThat(output.downloads().values()).allMatch(name -> name.startsWith("virtual #"));
    output
        .downloads()
        .forEach(
            (url, downloader) ->
                assertThat(threadId(output.parses().get(url))).isEqualTo(threadId(downloader)));
    assertThat(output.sizes().keySet()).isEqualTo(seedUrls(output));
    assertThat(output.text())
        .contains(" 3 in flight: " + VirtualLesson.SITE_PAGES + " pages fetched")
        .contains("30 in flight: " + VirtualLesson.SITE_PAGES + " pages fetched");
  }

  @Test
  void describeNamesTheVirtualThreadAndItsCarrier() throws Exception {
    String[] described = new String[1];
    Thread thread =
        Thread.ofVirtual()
            .start(() -> described[0] = VirtualLesson.describe(Thread.currentThread()));
    thread.join();
    assertThat(described[0]).matches("virtual #\\d+ on .+");
  }

  private static String threadId(String description) {
    return description.substring(0, description.indexOf(" on "));
  }
}
