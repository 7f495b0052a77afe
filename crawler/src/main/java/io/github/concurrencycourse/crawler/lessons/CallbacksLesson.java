package io.github.concurrencycourse.crawler.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.crawler.PageResult;
import io.github.concurrencycourse.crawler.ResultWriter;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The seed's crawler as it is: a pool of three threads downloads five pages, and a callback parses
 * each download and appends {@code url[...] 大小[...]} to {@code db.txt}.
 *
 * <p>Run it with {@code ./course run crawler.callbacks}. You will see three downloads start at once
 * and the other two wait for a free thread; each page is parsed by the same thread that downloaded
 * it, because the callback runs on the thread that completes the future, as Python's {@code
 * add_done_callback} does. Then {@code db.txt} is printed: five whole lines, although three threads
 * appended to it at the same time, because {@link ResultWriter} writes each line under a lock. The
 * file lives in a temporary directory that is deleted at the end.
 *
 * <p>The Java way: {@code pool.submit(get_page, url).add_done_callback(parse_page)} becomes a
 * {@link CompletableFuture} whose callback is attached <em>before</em> the download is handed to
 * the pool. Attached to a future that has already completed, {@code thenAccept} would run the
 * callback at once on the attaching thread, and the output would no longer show the worker.
 */
public final class CallbacksLesson extends AbstractLesson {

  public CallbacksLesson() {
    super(
        "crawler.callbacks",
        "A pool of 3 downloads, a callback parses and appends to db.txt",
        SeedSection.CALLBACKS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    Path directory = Files.createTempDirectory("crawler-callbacks");
    Path db = directory.resolve("db.txt");
    OkHttpClient client = new OkHttpClient();
    try (DemoSite site = SeedSites.start(context);
        ResultWriter writer =
            ResultWriter.seedText(
                Files.newBufferedWriter(
                    db,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND))) {
      out.println();
      try (ExecutorService pool =
          Executors.newFixedThreadPool(3, Thread.ofPlatform().name("pool-thread-", 1).factory())) {
        List<CompletableFuture<Void>> parsed = new ArrayList<>();
        for (String url : SeedSites.urls(site)) {
          CompletableFuture<Page> download = new CompletableFuture<>();
          parsed.add(download.thenAccept(page -> parsePage(out, writer, page)));
          pool.execute(
              () -> {
                try {
                  download.complete(getPage(out, client, url));
                } catch (RuntimeException e) {
                  download.completeExceptionally(e);
                }
              });
        }
        CompletableFuture.allOf(parsed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
      writer.flush();
      out.printf("%nThe site served at most %d downloads at once.%n", site.maxConcurrentRequests());
      out.println("db.txt:");
      Files.readAllLines(db, StandardCharsets.UTF_8).forEach(line -> out.println("  " + line));
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
      Files.deleteIfExists(db);
      Files.deleteIfExists(directory);
    }
  }

  /** A downloaded page. */
  private record Page(String url, long bytes) {}

  private static Page getPage(PrintStream out, OkHttpClient client, String url) {
    out.printf("线程 [%s] 正在下载[%s]%n", Thread.currentThread().getName(), url);
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException(url + " answered " + response.code());
      }
      return new Page(url, response.body().bytes().length);
    } catch (IOException e) {
      throw new UncheckedIOException("could not download " + url, e);
    }
  }

  private static void parsePage(PrintStream out, ResultWriter writer, Page page) {
    out.printf("线程[%s]正在解析[%s]%n", Thread.currentThread().getName(), page.url());
    writer.accept(PageResult.requested(page.url(), 0).status(200).bytes(page.bytes()).fetched());
  }
}
