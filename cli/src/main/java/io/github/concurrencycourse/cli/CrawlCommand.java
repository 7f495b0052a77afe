package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.crawler.CrawlProgress;
import io.github.concurrencycourse.crawler.CrawlSummary;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.ResultWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code course crawl URL... [--out results.jsonl] [options]}, or {@code course crawl --demo}:
 * crawls politely, writes one result per URL, shows live progress and prints a summary.
 *
 * <p>Exit codes: 0 the crawl ran (whatever the pages answered); 1 the results could not be written,
 * or a demo crawl left a page of the site unaccounted for; 2 a usage error (no URL, a bad URL or
 * setting, an output file that cannot be created).
 */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    description = {
      "Crawl web sites politely: one result per discovered URL, as JSON Lines or the seed's text.",
      "With --demo, start a generated site with faults on 127.0.0.1 and crawl all of it."
    })
final class CrawlCommand implements Callable<Integer> {

  /** How result lines are written. */
  enum Format {
    jsonl,
    text
  }

  private final PrintStream out;
  private final PrintStream err;

  @Parameters(paramLabel = "URL", arity = "0..*", description = "seed URLs (http or https)")
  private List<String> urls = new ArrayList<>();

  @Option(names = "--demo", description = "crawl a generated local site that has every fault")
  private boolean demo;

  @Option(names = "--out", paramLabel = "FILE", description = "write the results to FILE")
  private Path output;

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      description = "jsonl or text (the seed's url[...] 大小[...] lines); default: ${DEFAULT-VALUE}")
  private Format format;

  @Option(
      names = "--max-pages",
      description = "URLs admitted to the crawl (default 1000; with --demo, the whole site)")
  private Integer maxPages;

  @Option(names = "--max-depth", description = "links away from a seed (default 5; --demo: 20)")
  private Integer maxDepth;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "requests in flight (default: ${DEFAULT-VALUE})")
  private int concurrency;

  @Option(
      names = "--per-host",
      description = "requests in flight to one host (default 2; with --demo, --concurrency)")
  private Integer perHost;

  @Option(
      names = "--delay",
      description =
          "rest between requests through a host slot, ISO-8601 (default PT0.1S; --demo: 0)")
  private Duration delay;

  @Option(
      names = "--timeout",
      description = "read timeout, ISO-8601 (default PT10S; with --demo, PT0.5S)")
  private Duration readTimeout;

  @Option(
      names = "--retries",
      defaultValue = "2",
      description = "retries on I/O errors, 5xx and 429 (default: ${DEFAULT-VALUE})")
  private int retries;

  @Option(
      names = "--allow-host",
      paramLabel = "HOST",
      description = "hosts to crawl (repeatable; default: the seeds' hosts)")
  private List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--demo-pages",
      defaultValue = "1000",
      description = "pages of the demo site (default: ${DEFAULT-VALUE})")
  private int demoPages;

  @Option(
      names = "--demo-latency",
      defaultValue = "PT0.02S",
      description = "how long the demo site takes to answer, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration demoLatency;

  @Option(
      names = "--progress",
      defaultValue = "PT1S",
      description = "how often to print progress, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration progressEvery;

  CrawlCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (demo == !urls.isEmpty()) {
      err.println("course: give the URLs to crawl, or --demo, but not both and not neither");
      return 2;
    }
    if (!progressEvery.isPositive()) {
      err.println("course: --progress must be positive, got " + progressEvery);
      return 2;
    }
    if (!demo) {
      return crawl(urls, null);
    }
    DemoSite site;
    try {
      site =
          DemoSite.builder()
              .pages(demoPages)
              .latency(demoLatency)
              .slowDelay(Duration.ofSeconds(3))
              .start();
    } catch (IllegalArgumentException e) {
      err.println("course: " + e.getMessage());
      return 2;
    }
    try (site) {
      out.printf(
          "Demo site: %s (%d URLs to discover, %d ms latency)%n",
          site.baseUrl(), site.expectedUrls().size(), demoLatency.toMillis());
      return crawl(List.of(site.baseUrl()), site);
    }
  }

  private int crawl(List<String> seeds, DemoSite site) throws IOException, InterruptedException {
    Crawler crawler;
    try {
      crawler = configure(seeds, site).build();
    } catch (IllegalArgumentException e) {
      err.println("course: " + e.getMessage());
      return 2;
    }
    Writer file;
    try {
      file =
          output == null
              ? Writer.nullWriter()
              : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      crawler.close();
      err.println("course: cannot write results to " + output + ": " + e);
      return 2;
    }
    Set<String> reported = ConcurrentHashMap.newKeySet();
    CrawlSummary summary;
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("crawl-progress").daemon().factory());
    try (crawler;
        ResultWriter results =
            format == Format.jsonl ? ResultWriter.jsonLines(file) : ResultWriter.seedText(file)) {
      Consumer<PageResult> sink =
          result -> {
            reported.add(result.url());
            results.accept(result);
          };
      long every = progressEvery.toNanos();
      var progress =
          ticker.scheduleAtFixedRate(
              () -> printProgress(crawler.progress()), every, every, TimeUnit.NANOSECONDS);
      try {
        summary = crawler.crawl(sink);
      } finally {
        progress.cancel(false);
      }
    } catch (UncheckedIOException e) {
      err.println("course: writing the results failed: " + e.getCause());
      return 1;
    } finally {
      ticker.shutdownNow();
      if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
        err.println("course: the progress printer did not stop");
      }
    }
    printSummary(summary);
    if (site == null) {
      return 0;
    }
    Set<String> missing = new HashSet<>(site.expectedUrls());
    missing.removeAll(reported);
    if (missing.isEmpty() && !summary.cancelled()) {
      out.printf(
          "Every URL of the demo site is accounted for: %d of %d.%n",
          reported.size(), site.expectedUrls().size());
      return 0;
    }
    err.printf("course: %d URLs of the demo site have no result: %s%n", missing.size(), missing);
    return 1;
  }

  private Crawler.Builder configure(List<String> seeds, DemoSite site) {
    boolean local = site != null;
    Crawler.Builder builder =
        Crawler.builder()
            .seeds(seeds)
            .concurrency(concurrency)
            .perHostConcurrency(perHost != null ? perHost : local ? concurrency : 2)
            .politenessDelay(delay != null ? delay : local ? Duration.ZERO : Duration.ofMillis(100))
            .readTimeout(
                readTimeout != null
                    ? readTimeout
                    : local ? Duration.ofMillis(500) : Duration.ofSeconds(10))
            .maxRetries(retries)
            .maxPages(maxPages != null ? maxPages : local ? site.expectedUrls().size() : 1_000)
            .maxDepth(maxDepth != null ? maxDepth : local ? 20 : 5);
    if (!allowedHosts.isEmpty()) {
      builder.allowedHosts(Set.copyOf(allowedHosts));
    }
    return builder;
  }

  private void printProgress(CrawlProgress progress) {
    out.printf(
        Locale.ROOT,
        "  %6d done, %3d in flight, %4d errors, %7.1f pages/s%n",
        progress.done(),
        progress.inFlight(),
        progress.errors(),
        progress.pagesPerSecond());
  }

  private void printSummary(CrawlSummary summary) {
    out.printf(
        Locale.ROOT,
        "%n%s %d URLs in %.2f s: %d requests, %.1f pages/s%n",
        summary.cancelled() ? "Cancelled after" : "Crawled",
        summary.total(),
        summary.elapsed().toNanos() / 1e9,
        summary.requests(),
        summary.pagesPerSecond());
    summary
        .outcomes()
        .forEach(
            (outcome, count) ->
                out.printf("  %-11s %6d%n", outcome.name().toLowerCase(Locale.ROOT), count));
    if (!summary.reasons().isEmpty()) {
      out.println("Why not fetched:");
      summary.reasons().forEach((reason, count) -> out.printf("  %-32s %6d%n", reason, count));
    }
    if (output != null) {
      out.println("Results: " + output);
    }
  }
}
