package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An uppercase-echo server with a platform thread per connection, the seed's {@code
 * Thread(target=talk, args=(conn,))}: every client is served at once, at the cost of a whole thread
 * (about a megabyte of reserved stack) each. Use {@link EchoServerSettings#maxConnections()} to
 * bound the threads.
 *
 * <p>Honours {@link #OPTIONS}: the connection limit, the idle timeout and the grace period. It has
 * no fixed number of workers, so settings that give {@code workers} a value are refused.
 *
 * <p>Thread-safe; see {@link DispatchingEchoServer} for the life cycle and the settings.
 */
public final class ThreadPerConnectionEchoServer extends DispatchingEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT, Option.GRACE_PERIOD);

  /** A server with {@link EchoServerSettings#DEFAULTS}. */
  public ThreadPerConnectionEchoServer() {
    this(EchoServerSettings.DEFAULTS);
  }

  /**
   * A server with these settings.
   *
   * @throws IllegalArgumentException if the settings give {@code workers} a value
   */
  public ThreadPerConnectionEchoServer(EchoServerSettings settings) {
    this(settings, false, () -> {});
  }

  ThreadPerConnectionEchoServer(
      EchoServerSettings settings, boolean reusePort, Runnable countsChanged) {
    super("threads", settings, OPTIONS, reusePort, countsChanged);
  }

  @Override
  ExecutorService newHandlers(String threadPrefix) {
    return Executors.newThreadPerTaskExecutor(
        threadFactory(Thread.ofPlatform().name(threadPrefix + "-connection-", 1)));
  }
}
