package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * 同步 vs 异步, as the seed defines them. Synchronous (同步): submit a task, wait in place for its
 * result, and only then go on, so the program runs serially (程序串行). Asynchronous (异步): submit and
 * go on without waiting; the results come back later, by callback (异步回调).
 *
 * <p>Run it with {@code ./course run pools.sync-async}. The seed's five URLs are downloaded on a
 * pool of five threads, three ways, each download a simulated wait of 1, 2, 3, 1 and 2 seconds of
 * seed time (9 s in all, the longest 3 s):
 *
 * <ol>
 *   <li>{@code pool.submit(download).get()} in a loop: each download starts only when the one
 *       before has been waited for, although four threads stand idle: about 9 s, the sum.
 *   <li>submit all five, then collect the results with {@code get()}: the downloads overlap; about
 *       3 s, the longest.
 *   <li>{@code supplyAsync(download, pool).thenAccept(parse)}, the seed's {@code submit(get_page,
 *       url).add_done_callback(parse_page)}: the caller goes on at once ({@code main goes on}),
 *       each result is parsed by a callback when it arrives, in the order they arrive; about 3 s.
 * </ol>
 *
 * <p>The lesson prints every download and parse with its thread, then the three wall times side by
 * side.
 */
public final class SyncAsyncLesson extends AbstractLesson {

  /** A download: the URL and how long it takes, in seed seconds. */
  record Download(String url, double seedSeconds) {}

  /** The seed's URLs, with download times that make the sum and the longest differ widely. */
  static final List<Download> DOWNLOADS =
      List.of(
          new Download("https://www.baidu.com", 1),
          new Download("https://www.python.org", 2),
          new Download("https://www.openstack.org", 3),
          new Download("https://help.github.com/", 1),
          new Download("http://www.sina.com.cn/", 2));

  /** One thread per download, so that only the way of waiting differs between the three runs. */
  static final int POOL_SIZE = DOWNLOADS.size();

  /**
   * The wall times of the three runs.
   *
   * @param synchronous {@code submit(...).get()} one after another
   * @param collected every download submitted, then every result collected
   * @param callbacks every download submitted with a callback that parses it
   */
  record Timings(Duration synchronous, Duration collected, Duration callbacks) {}

  public SyncAsyncLesson() {
    super(
        "pools.sync-async",
        "同步 vs 异步: submit and wait, submit all then collect, callbacks",
        SeedSection.CALLBACKS);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException, ExecutionException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    Timings timings = runAll(out, pace);
    out.println("-- wall times");
    out.printf(
        Locale.ROOT,
        "%-36s %6d ms  (the sum of the downloads: %d ms)%n",
        "同步 submit(...).get() one by one",
        timings.synchronous().toMillis(),
        sum(pace).toMillis());
    out.printf(
        Locale.ROOT,
        "%-36s %6d ms  (the longest download: %d ms)%n",
        "异步 submit all, then collect",
        timings.collected().toMillis(),
        longest(pace).toMillis());
    out.printf(
        Locale.ROOT,
        "%-36s %6d ms  (the longest download: %d ms)%n",
        "异步 callbacks (thenAccept)",
        timings.callbacks().toMillis(),
        longest(pace).toMillis());
  }

  /** Runs the three ways one after another, each on a pool of its own, printing as they go. */
  static Timings runAll(PrintStream out, Pace pace)
      throws InterruptedException, ExecutionException {
    out.println("-- 1. 同步: submit, wait in place for the result, then the next");
    Duration synchronous = synchronous(out, pace);
    out.println("-- 2. 异步: submit all, go on, collect the results afterwards");
    Duration collected = collected(out, pace);
    out.println("-- 3. 异步回调: submit all with a callback; each result is parsed when it arrives");
    Duration callbacks = callbacks(out, pace);
    return new Timings(synchronous, collected, callbacks);
  }

  /** The sum of the download times at {@code pace}: the least the synchronous run can take. */
  static Duration sum(Pace pace) {
    return DOWNLOADS.stream()
        .map(d -> pace.seconds(d.seedSeconds()))
        .reduce(Duration.ZERO, Duration::plus);
  }

  /** The longest download time at {@code pace}: the least either asynchronous run can take. */
  static Duration longest(Pace pace) {
    return DOWNLOADS.stream()
        .map(d -> pace.seconds(d.seedSeconds()))
        .max(Duration::compareTo)
        .orElseThrow();
  }

  private static Duration synchronous(PrintStream out, Pace pace)
      throws InterruptedException, ExecutionException {
    try (ExecutorService pool = newPool("sync-")) {
      long start = System.nanoTime();
      for (Download download : DOWNLOADS) {
        out.println("main: submit " + download.url() + " and wait");
        Page page = pool.submit(() -> download(download, out, pace)).get();
        parse(page, out);
      }
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  private static Duration collected(PrintStream out, Pace pace)
      throws InterruptedException, ExecutionException {
    try (ExecutorService pool = newPool("collect-")) {
      long start = System.nanoTime();
      List<Future<Page>> futures = new ArrayList<>();
      for (Download download : DOWNLOADS) {
        futures.add(pool.submit(() -> download(download, out, pace)));
      }
      out.println("main: submitted " + futures.size() + " downloads; now collecting");
      for (Future<Page> future : futures) {
        parse(future.get(), out);
      }
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  private static Duration callbacks(PrintStream out, Pace pace) throws InterruptedException {
    try (ExecutorService pool = newPool("callback-")) {
      long start = System.nanoTime();
      List<CompletableFuture<Void>> parsed = new ArrayList<>();
      for (Download download : DOWNLOADS) {
        parsed.add(
            CompletableFuture.supplyAsync(() -> download(download, out, pace), pool)
                .thenAccept(page -> parse(page, out)));
      }
      out.printf(
          Locale.ROOT,
          "main goes on: %d downloads submitted in %d ms, none waited for%n",
          parsed.size(),
          Duration.ofNanos(System.nanoTime() - start).toMillis());
      // Only so that the lesson ends after its callbacks; the seed's main simply returns.
      CompletableFuture.allOf(parsed.toArray(CompletableFuture[]::new)).join();
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }

  /** A downloaded page, reduced to what the seed's parse_page prints. */
  private record Page(String url, int size) {}

  private static Page download(Download download, PrintStream out, Pace pace) {
    out.printf("线程 [%s] 正在下载[%s]%n", Thread.currentThread().getName(), download.url());
    try {
      pace.sleepSeconds(download.seedSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    return new Page(download.url(), 100 * download.url().length());
  }

  private static void parse(Page page, PrintStream out) {
    out.printf(
        "线程[%s]正在解析[%s] 大小[%d]%n", Thread.currentThread().getName(), page.url(), page.size());
  }

  private static ExecutorService newPool(String prefix) {
    return Executors.newFixedThreadPool(POOL_SIZE, Thread.ofPlatform().name(prefix, 1).factory());
  }
}
