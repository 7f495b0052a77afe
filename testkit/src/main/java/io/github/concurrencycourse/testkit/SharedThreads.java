package io.github.concurrencycourse.testkit;

import java.util.List;

/**
 * The threads that libraries keep for the whole JVM, shared by every client or server and ended by
 * the library itself once idle: a test looking for threads that the code under test left behind
 * leaves these out, as {@link ThreadSnapshot} leaves out the JDK's own. Stateless and thread-safe.
 */
public final class SharedThreads {

  private static final List<String> NAME_PREFIXES =
      List.of(
          // Netty: the global executor (it runs, among others, the listeners of every event loop's
          // termination, so closing any Netty server starts it) and its cleaners.
          "globalEventExecutor",
          "ObjectCleanerThread",
          "Netty-Cleaner",
          // OkHttp and Okio: the task runner and the timeout watchdog of every client.
          "OkHttp TaskRunner",
          "Okio Watchdog");

  private SharedThreads() {}

  /** Whether a thread named {@code threadName} is one of the libraries' JVM-wide threads. */
  public static boolean isShared(String threadName) {
    return NAME_PREFIXES.stream().anyMatch(threadName::startsWith);
  }
}
