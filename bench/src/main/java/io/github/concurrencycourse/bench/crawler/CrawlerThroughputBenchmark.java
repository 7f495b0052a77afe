package io.github.concurrencycourse.bench.crawler;

import com.sun.management.OperatingSystemMXBean;
import io.github.concurrencycourse.crawler.CrawlSummary;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The crawler's throughput against the demo site, as a fraction of the Little's-law bound.
 *
 * <p>With {@code c} requests in flight and a server that takes {@code L} to answer, no crawler can
 * fetch more than {@code c / L} pages per second; one that spends no time of its own between
 * requests reaches it. For each concurrency the benchmark crawls a fault-free demo site sized for
 * about ten seconds of work at the bound, several times, and reports the median pages per second
 * and its ratio to the bound. The crawl is whole: ramp-up (robots.txt, then one page, then its
 * links) and the tail are included, as a user would see them. The steady ratio leaves them out: it
 * is the pace over the middle 80 % of the pages (by completion time), the rate Little's law speaks
 * of. Client and server share the JVM and the cores. Measuring starts once warm-up crawls have let
 * the JIT compiler finish its work.
 *
 * <p>On a virtual machine the hypervisor may give part of the CPU time to other guests (steal time,
 * read from Linux's {@code /proc/stat}). A crawl that lost more than 5 % of it ({@link #MAX_STEAL})
 * is reported and crawled again, so the medians describe the crawler rather than the neighbours. A
 * concurrency gets {@link #MAX_REPEATS_PER_ROUND} repeats per round; once they are used up, crawls
 * are kept whatever their steal time.
 *
 * <p>Besides the ratio, each row shows where a shortfall comes from: the site's mean time per
 * request (the latency plus its timer's overshoot), the mean number of requests the site was
 * answering at once (Little's law at the server: what the crawler really kept in flight), the TCP
 * connections the site saw (at most the concurrency when the client reuses them), the CPU time per
 * page and cores busy for client and server together, and the machine's steal time.
 *
 * <p>Run it from the repository root (not part of {@code mvn verify}):
 *
 * <pre>
 * mvn -B -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     io.github.concurrencycourse.bench.crawler.CrawlerThroughputBenchmark [latencyMs] [rounds] [c...]
 * </pre>
 *
 * Defaults: 20 ms latency, 3 rounds, concurrency 1, 3, 16 and 64. It prints a Markdown table and
 * writes the ratios as a bar chart to {@code target/crawler-throughput.svg} (relative to the
 * working directory, or the path in the system property {@code chart}).
 */
public final class CrawlerThroughputBenchmark {

  private static final Duration TARGET_CRAWL = Duration.ofSeconds(10);
  private static final int MIN_PAGES = 100;
  private static final int MAX_PAGES = 40_000;
  private static final int MIN_WARM_UP_CRAWLS = 2;
  private static final int MAX_WARM_UP_CRAWLS = 15;
  private static final double QUIET_JIT = 0.05;
  private static final double MAX_STEAL = 0.05;
  private static final int MAX_REPEATS_PER_ROUND = 2;

  private CrawlerThroughputBenchmark() {}

  /** What one crawl measured; {@code steal} is NaN where the system does not report it. */
  record Run(
      double pagesPerSecond,
      double steadyPagesPerSecond,
      double serverMillis,
      double serverInProgress,
      int connections,
      double cpuMicrosPerPage,
      double cores,
      double steal) {

    boolean disturbed() {
      return steal > MAX_STEAL;
    }

    String stealPercent() {
      return Double.isNaN(steal) ? "—" : String.format(Locale.ROOT, "%.0f %%", steal * 100);
    }

    String describe() {
      return String.format(Locale.ROOT, "%.0f (steal %s)", pagesPerSecond, stealPercent());
    }
  }

  /**
   * One row of the table: the median crawl of a concurrency (by whole-crawl pages per second), and
   * the median of the crawls' steady rates.
   */
  record Row(int concurrency, int pages, Run median, double steadyPagesPerSecond, double bound) {
    double ratio() {
      return median.pagesPerSecond() / bound;
    }

    double steadyRatio() {
      return steadyPagesPerSecond / bound;
    }
  }

  /**
   * Runs the benchmark; see the class comment for the arguments.
   *
   * @throws IOException if the chart cannot be written
   */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Duration latency = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 20);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int[] concurrencies =
        args.length > 2
            ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 3, 16, 64};
    if (!latency.isPositive() || rounds < 1) {
      throw new IllegalArgumentException("latency and rounds must be positive");
    }
    warmUp(out, Arrays.stream(concurrencies).max().orElse(1), latency);
    List<Row> rows = new ArrayList<>();
    for (int concurrency : concurrencies) {
      int pages = pagesFor(concurrency, latency);
      List<Run> runs = new ArrayList<>();
      List<Run> repeated = new ArrayList<>();
      while (runs.size() < rounds) {
        Run run = crawl(concurrency, pages, latency);
        if (run.disturbed() && repeated.size() < rounds * MAX_REPEATS_PER_ROUND) {
          repeated.add(run);
        } else {
          runs.add(run);
        }
      }
      out.printf(
          Locale.ROOT,
          "c=%d: %s pages/s%n",
          concurrency,
          runs.stream().map(Run::describe).toList());
      if (!repeated.isEmpty()) {
        out.printf(
            Locale.ROOT,
            "  crawled again after more than %.0f %% steal: %s pages/s%n",
            MAX_STEAL * 100,
            repeated.stream().map(Run::describe).toList());
      }
      double steady =
          runs.stream().mapToDouble(Run::steadyPagesPerSecond).sorted().toArray()[rounds / 2];
      runs.sort(Comparator.comparingDouble(Run::pagesPerSecond));
      rows.add(
          new Row(
              concurrency,
              pages,
              runs.get(rounds / 2),
              steady,
              concurrency / (latency.toNanos() / 1e9)));
    }
    String subtitle =
        String.format(
            Locale.ROOT,
            "%d-ms latency, %d cores, Java %s; median of %d crawls",
            latency.toMillis(),
            Runtime.getRuntime().availableProcessors(),
            Runtime.version().feature(),
            rounds);
    out.printf("%n%s%n%n", subtitle);
    out.println(
        "| in flight | pages | pages/s | bound c/L | ratio | steady ratio | server time per page |"
            + " at the server | connections | CPU per page | cores busy | steal |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row row : rows) {
      Run run = row.median();
      out.printf(
          Locale.ROOT,
          "| %d | %d | %.0f | %.0f | %.2f | %.2f | %.1f ms | %.1f | %d | %.0f µs | %.2f | %s |%n",
          row.concurrency(),
          row.pages(),
          run.pagesPerSecond(),
          row.bound(),
          row.ratio(),
          row.steadyRatio(),
          run.serverMillis(),
          run.serverInProgress(),
          run.connections(),
          run.cpuMicrosPerPage(),
          run.cores(),
          run.stealPercent());
    }
    writeChart(out, rows, subtitle);
  }

  private static void writeChart(PrintStream out, List<Row> rows, String subtitle)
      throws IOException {
    Path chart = Path.of(System.getProperty("chart", "target/crawler-throughput.svg"));
    Path parent = chart.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(chart, RatioChart.svg(rows, subtitle), StandardCharsets.UTF_8);
    out.println("\nChart: " + chart.toAbsolutePath());
  }

  /**
   * Crawls at {@code concurrency} until the JIT compiler is done with the crawl's code: on two
   * cores its threads would otherwise take a core from the first measured crawls. Done means a
   * crawl during which compiling took less than {@link #QUIET_JIT} of the crawl's time, after at
   * least {@link #MIN_WARM_UP_CRAWLS}; it gives up waiting after {@link #MAX_WARM_UP_CRAWLS}.
   */
  private static void warmUp(PrintStream out, int concurrency, Duration latency) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    out.printf(
        "Warming up at %d in flight, %d ms latency, until the JIT compiler is quiet...%n",
        concurrency, latency.toMillis());
    for (int crawl = 1; crawl <= MAX_WARM_UP_CRAWLS; crawl++) {
      long compilingBefore = jit.getTotalCompilationTime();
      long start = System.nanoTime();
      crawl(concurrency, pagesFor(concurrency, latency), latency);
      double crawlMillis = (System.nanoTime() - start) / 1e6;
      double compiling = (jit.getTotalCompilationTime() - compilingBefore) / crawlMillis;
      out.printf(
          Locale.ROOT,
          "  warm-up crawl %d: compiling %.0f%% of the time%n",
          crawl,
          compiling * 100);
      if (crawl >= MIN_WARM_UP_CRAWLS && compiling < QUIET_JIT) {
        return;
      }
    }
    out.println("  the JIT compiler is still busy; measuring anyway");
  }

  /**
   * Pages per second over the middle 80 % of a crawl's pages, between the 10th and the 90th
   * percentile of their completion times: the crawl's pace once ramp-up is over and before the
   * frontier runs dry.
   */
  private static double steadyRate(long[] completionNanos) {
    long[] sorted = completionNanos.clone();
    Arrays.sort(sorted);
    int first = sorted.length / 10;
    int last = sorted.length * 9 / 10;
    return (last - first) / ((sorted[last] - sorted[first]) / 1e9);
  }

  /** A site size that takes about {@link #TARGET_CRAWL} at the bound. */
  private static int pagesFor(int concurrency, Duration latency) {
    double bound = concurrency / (latency.toNanos() / 1e9);
    long pages = Math.round(bound * TARGET_CRAWL.toNanos() / 1e9);
    return Math.clamp(pages, MIN_PAGES, MAX_PAGES);
  }

  /**
   * Crawls a fresh site of {@code pages} pages; measures pages per second, the site's own mean time
   * per request, the process's CPU time (client and server together) per page, and the machine's
   * steal time.
   */
  private static Run crawl(int concurrency, int pages, Duration latency) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (DemoSite site = DemoSite.builder().pages(pages).faults(false).latency(latency).start();
        Crawler crawler =
            Crawler.builder()
                .seed(site.baseUrl())
                .maxPages(pages)
                .maxDepth(100)
                .concurrency(concurrency)
                .perHostConcurrency(concurrency)
                .politenessDelay(Duration.ZERO)
                .build()) {
      long[] fetchedAt = new long[pages];
      AtomicInteger fetchedSoFar = new AtomicInteger();
      Optional<CpuSteal> stealBefore = CpuSteal.read();
      long cpuBefore = os.getProcessCpuTime();
      CrawlSummary summary =
          crawler.crawl(
              result -> {
                if (result.outcome() == PageResult.Outcome.FETCHED) {
                  fetchedAt[fetchedSoFar.getAndIncrement()] = System.nanoTime();
                }
              });
      long cpu = os.getProcessCpuTime() - cpuBefore;
      double steal =
          stealBefore
              .flatMap(before -> CpuSteal.read().map(after -> after.fractionSince(before)))
              .orElse(Double.NaN);
      long fetched = summary.count(PageResult.Outcome.FETCHED);
      if (fetched != pages) {
        throw new IllegalStateException(
            "fetched " + fetched + " of " + pages + " pages: " + summary.reasons());
      }
      long serverNanos =
          site.visits().stream()
              .mapToLong(visit -> visit.answeredNanos() - visit.arrivedNanos())
              .sum();
      return new Run(
          summary.pagesPerSecond(),
          steadyRate(fetchedAt),
          serverNanos / 1e6 / site.visits().size(),
          serverNanos / (double) summary.elapsed().toNanos(),
          site.connections(),
          cpu / 1e3 / fetched,
          cpu / (double) summary.elapsed().toNanos(),
          steal);
    }
  }
}
