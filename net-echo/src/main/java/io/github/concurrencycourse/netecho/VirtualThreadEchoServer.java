package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An uppercase-echo server with a virtual thread per connection: the seed's thread-per-client code,
 * unchanged in shape, but a blocked read parks a virtual thread of a few hundred bytes instead of
 * holding a platform thread, so tens of thousands of mostly idle clients cost little.
 *
 * <p>Honours {@link #OPTIONS}: the connection limit, the idle timeout and the grace period. It has
 * no fixed number of workers, so settings that give {@code workers} a value are refused.
 *
 * <p>Thread-safe; see {@link DispatchingEchoServer} for the life cycle and the settings.
 */
public final class VirtualThreadEchoServer extends DispatchingEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT, Option.GRACE_PERIOD);

  /** A server with {@link EchoServerSettings#DEFAULTS}. */
  public VirtualThreadEchoServer() {
    this(EchoServerSettings.DEFAULTS);
  }

  /**
   * A server with these settings.
   *
   * @throws IllegalArgumentException if the settings give {@code workers} a value
   */
  public VirtualThreadEchoServer(EchoServerSettings settings) {
    this(settings, false, () -> {});
  }

  VirtualThreadEchoServer(EchoServerSettings settings, boolean reusePort, Runnable countsChanged) {
    super("virtual", settings, OPTIONS, reusePort, countsChanged);
  }

  @Override
  ExecutorService newHandlers(String threadPrefix) {
    return Executors.newThreadPerTaskExecutor(
        threadFactory(Thread.ofVirtual().name(threadPrefix + "-connection-", 1)));
  }
}
