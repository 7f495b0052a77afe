package io.github.concurrencycourse.netecho;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An uppercase-echo server with a platform thread per connection, the seed's {@code
 * Thread(target=talk, args=(conn,))}: every client is served at once, at the cost of a whole thread
 * (about a megabyte of reserved stack) each. Use {@link EchoServerOptions#maxConnections()} to
 * bound the threads.
 *
 * <p>Thread-safe; see {@link BlockingEchoServer} for the lifecycle and options.
 */
public final class ThreadPerConnectionEchoServer extends BlockingEchoServer {

  /** A server with {@link EchoServerOptions#DEFAULTS}. */
  public ThreadPerConnectionEchoServer() {
    this(EchoServerOptions.DEFAULTS);
  }

  /** A server with these options. */
  public ThreadPerConnectionEchoServer(EchoServerOptions options) {
    this(options, false, () -> {});
  }

  ThreadPerConnectionEchoServer(
      EchoServerOptions options, boolean reusePort, Runnable countsChanged) {
    super("threads", options, reusePort, countsChanged);
  }

  @Override
  ExecutorService newHandlers(String threadPrefix) {
    return Executors.newThreadPerTaskExecutor(
        Thread.ofPlatform().name(threadPrefix + "-connection-", 1).factory());
  }
}
