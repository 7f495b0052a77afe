package io.github.concurrencycourse.netecho;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An uppercase-echo server with a virtual thread per connection: the seed's thread-per-client code,
 * unchanged in shape, but a blocked read parks a virtual thread of a few hundred bytes instead of
 * holding a platform thread, so tens of thousands of mostly idle clients cost little.
 *
 * <p>Thread-safe; see {@link BlockingEchoServer} for the lifecycle and options.
 */
public final class VirtualThreadEchoServer extends BlockingEchoServer {

  /** A server with {@link EchoServerOptions#DEFAULTS}. */
  public VirtualThreadEchoServer() {
    this(EchoServerOptions.DEFAULTS);
  }

  /** A server with these options. */
  public VirtualThreadEchoServer(EchoServerOptions options) {
    this(options, false, () -> {});
  }

  VirtualThreadEchoServer(EchoServerOptions options, boolean reusePort, Runnable countsChanged) {
    super("virtual", options, reusePort, countsChanged);
  }

  @Override
  ExecutorService newHandlers(String threadPrefix) {
    return Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name(threadPrefix + "-connection-", 1).factory());
  }
}
