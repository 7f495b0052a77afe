package io.github.concurrencycourse.crawler.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.crawler.CrawlSummary;
import io.github.concurrencycourse.crawler.Crawler;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The seed's crawler with a virtual thread per page: plain blocking code, download then parse, no
 * callback at all; then the course's {@link Crawler}, built the same way, crawling a small site.
 *
 * <p>Run it with {@code ./course run crawler.virtual}. All five downloads start at once, each on
 * its own virtual thread, and the same virtual thread parses what it downloaded; the printed
 * carrier (the platform thread under it) may change while it waited for the network. Then the
 * crawler fetches a 60-page site twice, with 3 and with 30 requests in flight, and prints its pages
 * per second next to the Little's-law bound (requests in flight ÷ latency).
 *
 * <p>The Java way: a blocked virtual thread costs a few hundred bytes, not a platform thread, so
 * "one thread per page" is the simple design again and the callback disappears.
 */
public final class VirtualLesson extends AbstractLesson {

  static final int SITE_PAGES = 60;

  public VirtualLesson() {
    super(
        "crawler.virtual",
        "A virtual thread per page, then the Crawler at 3 and 30 in flight",
        SeedSection.CALLBACKS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    OkHttpClient client = new OkHttpClient();
    try (DemoSite site = SeedSites.start(context)) {
      out.println();
      try (ExecutorService perPage = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> pages = new ArrayList<>();
        for (String url : SeedSites.urls(site)) {
          pages.add(
              perPage.submit(
                  () -> {
                    out.printf("线程 [%s] 正在下载[%s]%n", describe(Thread.currentThread()), url);
                    int size = download(client, url);
                    out.printf("线程[%s]正在解析[%s]%n", describe(Thread.currentThread()), url);
                    out.printf("url[%s] 大小[%s]%n", url, size);
                  }));
        }
        for (Future<?> page : pages) {
          page.get();
        }
      }
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    Duration latency = context.pace().seconds(1.0);
    out.printf(
        "%nThe Crawler on a %d-page site that answers in %d ms:%n", SITE_PAGES, latency.toMillis());
    for (int inFlight : new int[] {3, 30}) {
      try (DemoSite site =
              DemoSite.builder().pages(SITE_PAGES).faults(false).latency(latency).start();
          Crawler crawler =
              Crawler.builder()
                  .seed(site.baseUrl())
                  .concurrency(inFlight)
                  .perHostConcurrency(inFlight)
                  .politenessDelay(Duration.ZERO)
                  .build()) {
        CrawlSummary summary = crawler.crawl(result -> {});
        double bound = latency.isZero() ? Double.NaN : inFlight / (latency.toNanos() / 1e9);
        out.printf(
            Locale.ROOT,
            "  %2d in flight: %d pages fetched, %.0f pages/s (Little's-law bound %.0f)%n",
            inFlight,
            summary.count(PageResult.Outcome.FETCHED),
            summary.pagesPerSecond(),
            bound);
        summary.reasons().forEach((reason, count) -> out.printf("     %s: %d%n", reason, count));
      }
    }
  }

  private static int download(OkHttpClient client, String url) {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().bytes().length;
    } catch (IOException e) {
      throw new UncheckedIOException("could not download " + url, e);
    }
  }

  /** "virtual #42 on ForkJoinPool-1-worker-3", from the virtual thread's toString. */
  static String describe(Thread thread) {
    String text = thread.toString();
    int at = text.lastIndexOf('@');
    String carrier = at >= 0 ? text.substring(at + 1) : "no carrier";
    return (thread.isVirtual() ? "virtual #" : "platform #") + thread.threadId() + " on " + carrier;
  }
}
