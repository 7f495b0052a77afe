package io.github.concurrencycourse.iomodels;

/** The threads Netty keeps for the whole JVM, which outlive any one server. */
final class NettyThreads {

  private NettyThreads() {}

  static boolean isShared(String threadName) {
    return threadName.startsWith("globalEventExecutor")
        || threadName.startsWith("ObjectCleanerThread")
        || threadName.startsWith("Netty-Cleaner");
  }
}
