package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.crawler.CrawlProgress;
import io.github.concurrencycourse.crawler.CrawlSettings;
import io.github.concurrencycourse.crawler.CrawlSummary;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.ResultWriter;
import io.github.concurrencycourse.crawler.demo.DemoSite;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code course crawl URL... [--out results.jsonl] [options]}, or {@code course crawl --demo}:
 * crawls politely, writes one result per URL, shows live progress and prints a summary.
 *
 * <p>The crawl's settings are the crawler's own defaults ({@link CrawlSettings#DEFAULTS}), or with
 * {@code --demo} those {@link DemoSite#crawlerBuilder()} chooses for the site, changed only by the
 * options the user gives; the crawl prints the settings it uses before it starts.
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

  private CommandSpec spec;

  @Parameters(paramLabel = "URL", arity = "0..*", description = "seed URLs (http or https)")
  private List<String> urls = new ArrayList<>();

  @Option(
      names = "--demo",
      description =
          "crawl a generated local site that has every fault, with settings chosen for it")
  private boolean demo;

  @Option(names = "--out", paramLabel = "FILE", description = "write the results to FILE")
  private Path output;

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      description = "jsonl or text (the seed's url[...] 大小[...] lines); default: ${DEFAULT-VALUE}")
  private Format format;

  @Option(names = "--max-pages", paramLabel = "N", description = "URLs admitted to the crawl")
  private Integer maxPages;

  @Option(names = "--max-depth", paramLabel = "N", description = "links away from a seed")
  private Integer maxDepth;

  @Option(names = "--concurrency", paramLabel = "N", description = "requests in flight")
  private Integer concurrency;

  @Option(names = "--per-host", paramLabel = "N", description = "requests in flight to one host")
  private Integer perHost;

  @Option(
      names = "--delay",
      paramLabel = "D",
      description = "rest between requests through a host slot, ISO-8601")
  private Duration delay;

  @Option(names = "--timeout", paramLabel = "D", description = "read timeout, ISO-8601")
  private Duration readTimeout;

  @Option(names = "--retries", paramLabel = "N", description = "retries on I/O errors, 5xx and 429")
  private Integer retries;

  @Option(
      names = "--allow-host",
      paramLabel = "HOST",
      description = "hosts to crawl (repeatable; default: the seeds' hosts)")
  private List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--demo-pages",
      paramLabel = "N",
      description = "pages of the demo site (default: the site's own)")
  private Integer demoPages;

  @Option(
      names = "--demo-latency",
      paramLabel = "D",
      defaultValue = "PT0.02S",
      description = "how long the demo site takes to answer, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration demoLatency;

  @Option(
      names = "--progress",
      paramLabel = "D",
      defaultValue = "PT1S",
      converter = PositiveDuration.class,
      description = "how often to print progress, ISO-8601 (default: ${DEFAULT-VALUE})")
  private Duration progressEvery;

  CrawlCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Takes the command's spec from picocli, and ends its help with the settings a crawl has unless
   * told otherwise, which only the crawler knows.
   */
  @Spec
  void spec(CommandSpec spec) {
    this.spec = spec;
    List<String> defaults = describe(CrawlSettings.DEFAULTS);
    spec.usageMessage()
        .footer(
            "%nUnless given, the settings are the crawler's defaults:",
            "  " + String.join(" ", defaults.subList(0, 4)),
            "  " + String.join(" ", defaults.subList(4, defaults.size())),
            "With --demo, they are those the demo site chooses to crawl all of it.",
            "The crawl prints the settings it uses before it starts.");
  }

  /** The settings the options can change, written as the options that set them. */
  static List<String> describe(CrawlSettings settings) {
    return List.of(
        "--max-pages " + settings.maxPages(),
        "--max-depth " + settings.maxDepth(),
        "--concurrency " + settings.concurrency(),
        "--per-host " + settings.perHostConcurrency(),
        "--delay " + settings.politenessDelay(),
        "--timeout " + settings.readTimeout(),
        "--retries " + settings.maxRetries());
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (demo == !urls.isEmpty()) {
      throw usageError("give the URLs to crawl, or --demo, but not both and not neither");
    }
    if (!demo) {
      return crawl(Crawler.builder().seeds(urls), null);
    }
    DemoSite.Builder siteBuilder = DemoSite.builder().latency(demoLatency);
    if (demoPages != null) {
      siteBuilder.pages(demoPages);
    }
    DemoSite site;
    try {
      site = siteBuilder.start();
    } catch (IllegalArgumentException e) {
      throw usageError("bad demo site: " + e.getMessage());
    }
    try (site) {
      out.printf(
          "Demo site: %s (%d URLs to discover, %d ms latency)%n",
          site.baseUrl(), site.expectedUrls().size(), demoLatency.toMillis());
      return crawl(site.crawlerBuilder(), site);
    }
  }

  private int crawl(Crawler.Builder builder, DemoSite site)
      throws IOException, InterruptedException {
    Crawler crawler;
    try {
      crawler = withOptionsGiven(builder).build();
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    Writer file;
    try {
      file =
          output == null
              ? Writer.nullWriter()
              : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      crawler.close();
      throw usageError("cannot write results to " + output + ": " + e);
    }
    out.println("Settings: " + String.join(" ", describe(crawler.settings())));
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

  /** {@code builder} with the options the user gave, and only those, applied. */
  private Crawler.Builder withOptionsGiven(Crawler.Builder builder) {
    Optional.ofNullable(maxPages).ifPresent(builder::maxPages);
    Optional.ofNullable(maxDepth).ifPresent(builder::maxDepth);
    Optional.ofNullable(concurrency).ifPresent(builder::concurrency);
    Optional.ofNullable(perHost).ifPresent(builder::perHostConcurrency);
    Optional.ofNullable(delay).ifPresent(builder::politenessDelay);
    Optional.ofNullable(readTimeout).ifPresent(builder::readTimeout);
    Optional.ofNullable(retries).ifPresent(builder::maxRetries);
    if (!allowedHosts.isEmpty()) {
      builder.allowedHosts(Set.copyOf(allowedHosts));
    }
    return builder;
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
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
