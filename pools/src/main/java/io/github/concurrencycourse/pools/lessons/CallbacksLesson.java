package io.github.concurrencycourse.pools.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The seed's {@code pool.submit(get_page, url).add_done_callback(parse_page)} as {@link
 * CompletableFuture} stages: download on a pool, then parse in a callback. The point is which
 * thread runs the callback, and why that matters.
 *
 * <ol>
 *   <li>{@code thenAccept} registered <em>before</em> the download ends runs on the thread that
 *       completes it: a downloader. A slow parse there holds one of the only three downloaders.
 *   <li>{@code thenAccept} registered <em>after</em> the download ended runs at once on the thread
 *       that registers it (here the lesson's own thread, {@code main} under {@code ./course}): a
 *       slow parse there blocks the code that submits the downloads.
 *   <li>{@code thenAcceptAsync(parse, parsers)} always runs on the pool it is given, so parsing
 *       never takes a downloader's time; this is the form to use when the callback does real work.
 *   <li>A failed download skips {@code thenAccept} entirely, where Python calls the callback and
 *       {@code res.result()} raises inside it; {@code whenComplete} (or {@code handle}) is the
 *       stage that sees the failure.
 * </ol>
 *
 * <p>The web is simulated (a page per URL and a paced delay) so that the lesson runs offline; the
 * crawler module downloads for real. Parsed sizes are printed where the seed appends them to {@code
 * db.txt}.
 *
 * <p>Run it with {@code ./course run pools.callbacks}. You will see {@code 线程 [downloader-1]
 * 正在下载[https://www.baidu.com]} lines, then {@code 线程[downloader-2]正在解析[...]} for part 1, {@code
 * 线程[main]正在解析[...]} for part 2, {@code 线程[parser-1]正在解析[...]} for part 3, and {@code
 * 下载失败[https://unreachable.invalid/]: UnknownHostException} for part 4.
 */
public final class CallbacksLesson extends AbstractLesson {

  static final List<String> URLS =
      List.of(
          "https://www.baidu.com",
          "https://www.python.org",
          "https://www.openstack.org",
          "https://help.github.com/",
          "http://www.sina.com.cn/");

  static final String UNREACHABLE = "https://unreachable.invalid/";

  /** The simulated web: what each URL serves. */
  private static final Map<String, String> WEB =
      Map.of(
          URLS.get(0), page("百度一下,你就知道", 227),
          URLS.get(1), page("Welcome to Python.org", 489),
          URLS.get(2), page("Open Source Cloud Computing Infrastructure - OpenStack", 310),
          URLS.get(3), page("GitHub Help", 145),
          URLS.get(4), page("新浪首页", 562));

  /** A downloaded page. */
  record Page(String url, String text) {}

  public CallbacksLesson() {
    super(
        "pools.callbacks",
        "Callbacks: add_done_callback as CompletableFuture stages, and on which thread",
        SeedSection.CALLBACKS);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    Pace pace = context.pace();
    try (ExecutorService downloaders =
            Executors.newFixedThreadPool(3, Thread.ofPlatform().name("downloader-", 1).factory());
        ExecutorService parsers =
            Executors.newFixedThreadPool(2, Thread.ofPlatform().name("parser-", 1).factory())) {

      out.println("-- 1. thenAccept registered while downloading: runs on the downloader");
      CountDownLatch registered = new CountDownLatch(1);
      List<CompletableFuture<Void>> parsed = new ArrayList<>();
      for (String url : URLS) {
        parsed.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      // Hold the download until the callback is registered, so it is registered
                      // "before the end" every time, not by luck.
                      awaitQuietly(registered);
                      return download(url, out, pace);
                    },
                    downloaders)
                .thenAccept(page -> parse(page, out)));
      }
      registered.countDown();
      CompletableFuture.allOf(parsed.toArray(CompletableFuture[]::new)).join();

      out.println("-- 2. thenAccept registered after the download ended: runs on the caller");
      CompletableFuture<Page> done =
          CompletableFuture.supplyAsync(() -> download(URLS.get(0), out, pace), downloaders);
      done.join();
      done.thenAccept(page -> parse(page, out)).join();

      out.println("-- 3. thenAcceptAsync(parse, parsers): always on the parser pool");
      List<CompletableFuture<Void>> parsedAsync = new ArrayList<>();
      for (String url : URLS) {
        parsedAsync.add(
            CompletableFuture.supplyAsync(() -> download(url, out, pace), downloaders)
                .thenAcceptAsync(page -> parse(page, out), parsers));
      }
      CompletableFuture.allOf(parsedAsync.toArray(CompletableFuture[]::new)).join();

      out.println("-- 4. a failed download: thenAccept is skipped, whenComplete sees the error");
      CompletableFuture<Page> failing =
          CompletableFuture.supplyAsync(() -> download(UNREACHABLE, out, pace), downloaders);
      CompletableFuture<Void> skipped =
          failing.thenAccept(page -> out.println("never printed: " + page.url()));
      CompletableFuture<Page> reported =
          failing.whenComplete(
              (page, error) -> {
                if (error != null) {
                  Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                  out.printf(
                      "下载失败[%s]: %s (in whenComplete on %s)%n",
                      UNREACHABLE,
                      cause.getCause() != null
                          ? cause.getCause().getClass().getSimpleName()
                          : cause.getClass().getSimpleName(),
                      Thread.currentThread().getName());
                }
              });
      reported.exceptionally(error -> null).join();
      boolean callbackSkipped = skipped.handle((ignored, error) -> error != null).join();
      out.println(
          "thenAccept's stage: "
              + (callbackSkipped ? "completed exceptionally, callback skipped" : "ran"));
    }
    out.println("main");
  }

  private static Page download(String url, PrintStream out, Pace pace) {
    out.printf("线程 [%s] 正在下载[%s]%n", Thread.currentThread().getName(), url);
    try {
      pace.sleepSeconds(0.5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    String text = WEB.get(url);
    if (text == null) {
      throw new UncheckedIOException(
          "cannot download " + url, new UnknownHostException(url.replaceAll("https?://|/$", "")));
    }
    return new Page(url, text);
  }

  private static void parse(Page page, PrintStream out) {
    // One call, so the two lines stay together when several callbacks print at once.
    out.printf(
        "线程[%s]正在解析[%s]%nurl[%s] 大小[%d]%n",
        Thread.currentThread().getName(), page.url(), page.url(), page.text().length());
  }

  private static String page(String title, int bodyLength) {
    return "<html><title>" + title + "</title>" + "x".repeat(bodyLength) + "</html>";
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
