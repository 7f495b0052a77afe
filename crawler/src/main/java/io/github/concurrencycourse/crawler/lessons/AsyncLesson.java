package io.github.concurrencycourse.crawler.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The seed's crawler with OkHttp's own asynchronous calls: {@code enqueue} a call with a {@link
 * Callback}, and OkHttp's {@link Dispatcher} decides when it runs.
 *
 * <p>Run it with {@code ./course run crawler.async}. The dispatcher allows 3 calls at once (the
 * seed's pool of 3) but only 2 to one host, and all five stand-in sites share the host 127.0.0.1,
 * so you will see two downloads at a time; each callback prints on the dispatcher thread that ran
 * its call. At the end the site reports how many requests it saw at once: 2.
 *
 * <p>The Java way: the pool and the callback are OkHttp's; the lesson owns the dispatcher's
 * executor so that it can shut it down, which is how a program that enqueues calls leaves no thread
 * behind.
 */
public final class AsyncLesson extends AbstractLesson {

  static final int MAX_REQUESTS = 3;
  static final int MAX_REQUESTS_PER_HOST = 2;

  public AsyncLesson() {
    super(
        "crawler.async",
        "OkHttp enqueue and callbacks, within the dispatcher's limits",
        SeedSection.CALLBACKS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    // The lesson owns the dispatcher's threads: closing the executor is what leaves none behind.
    try (ExecutorService dispatcherThreads =
        Executors.newCachedThreadPool(
            Thread.ofPlatform().name("okhttp-dispatcher-", 1).factory())) {
      Dispatcher dispatcher = new Dispatcher(dispatcherThreads);
      dispatcher.setMaxRequests(MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
      OkHttpClient client =
          new OkHttpClient.Builder()
              .dispatcher(dispatcher)
              // An application interceptor runs on the thread that executes the call.
              .addInterceptor(
                  chain -> {
                    out.printf(
                        "线程 [%s] 正在下载[%s]%n",
                        describe(Thread.currentThread()), chain.request().url());
                    return chain.proceed(chain.request());
                  })
              .build();
      try (DemoSite site = SeedSites.start(context)) {
        out.printf(
            "%nDispatcher: at most %d calls at once, %d per host.%n%n",
            dispatcher.getMaxRequests(), dispatcher.getMaxRequestsPerHost());
        CountDownLatch finished = new CountDownLatch(SeedSites.HOSTS.size());
        for (String url : SeedSites.urls(site)) {
          client.newCall(new Request.Builder().url(url).build()).enqueue(printing(out, finished));
        }
        if (!finished.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the calls did not finish within 60 s");
        }
        out.printf(
            "%nThe site served at most %d requests at once.%n", site.maxConcurrentRequests());
      } finally {
        dispatcher.cancelAll();
        client.connectionPool().evictAll();
      }
    }
  }

  /**
   * The thread's name and id. While it runs a call, OkHttp renames its dispatcher thread after the
   * call's URL, so the id is what tells the threads apart.
   */
  static String describe(Thread thread) {
    return thread.getName() + " #" + thread.threadId();
  }

  private static Callback printing(PrintStream out, CountDownLatch finished) {
    return new Callback() {
      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          int size = response.body().bytes().length;
          out.printf("线程[%s]正在解析[%s]%n", describe(Thread.currentThread()), call.request().url());
          out.printf("url[%s] 大小[%s]%n", call.request().url(), size);
        } finally {
          finished.countDown();
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        out.printf("%s failed: %s%n", call.request().url(), e);
        finished.countDown();
      }
    };
  }
}
