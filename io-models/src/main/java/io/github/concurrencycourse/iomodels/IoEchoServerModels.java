package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.time.Duration;
import java.util.Set;

/**
 * The {@link EchoServerModel}s of this module, one per server, registered for {@link
 * java.util.ServiceLoader} so that {@code course serve echo --model NAME} and the benchmarks find
 * them. Each hands the {@link EchoServerSettings} to its server, which reads {@code workers} as its
 * number of threads (or event loops), honours the other options its class lists in {@code OPTIONS}
 * and refuses the rest: none of them implements a grace period, and the blocking server's limit is
 * its number of threads.
 *
 * <p>Every model is stateless and thread-safe.
 */
public final class IoEchoServerModels {

  private IoEchoServerModels() {}

  /** {@code blocking}: {@link BlockingEchoServer}, one client per thread, 1 thread by default. */
  public static final class Blocking implements EchoServerModel {
    @Override
    public String name() {
      return "blocking";
    }

    @Override
    public String description() {
      return "blocking accept/read/write: each thread serves one client at a time (default 1)";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new BlockingEchoServer(settings);
    }

    @Override
    public Set<Option> supportedOptions() {
      return BlockingEchoServer.OPTIONS;
    }
  }

  /** {@code non-blocking}: {@link NonBlockingEchoServer}, one polling thread, no back-off. */
  public static final class NonBlocking implements EchoServerModel {
    @Override
    public String name() {
      return "non-blocking";
    }

    @Override
    public String description() {
      return "one thread polls every non-blocking channel in a loop, burning a core while idle";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new NonBlockingEchoServer(settings, Duration.ZERO);
    }

    @Override
    public Set<Option> supportedOptions() {
      return NonBlockingEchoServer.OPTIONS;
    }
  }

  /** {@code selector}: {@link SelectorEchoServer}, 1 event loop by default. */
  public static final class Selector implements EchoServerModel {
    @Override
    public String name() {
      return "selector";
    }

    @Override
    public String description() {
      return "IO multiplexing: Selector event loops (default 1), bounded buffer per connection";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new SelectorEchoServer(settings, SelectorEchoServer.DEFAULT_BUFFER_SIZE);
    }

    @Override
    public Set<Option> supportedOptions() {
      return SelectorEchoServer.OPTIONS;
    }
  }

  /** {@code async}: {@link AsyncEchoServer}, 2 group threads by default. */
  public static final class Async implements EchoServerModel {
    @Override
    public String name() {
      return "async";
    }

    @Override
    public String description() {
      return "AsynchronousSocketChannel with completion handlers (default 2 threads)";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new AsyncEchoServer(settings, SelectorEchoServer.DEFAULT_BUFFER_SIZE);
    }

    @Override
    public Set<Option> supportedOptions() {
      return AsyncEchoServer.OPTIONS;
    }
  }

  /** The Netty models: one per transport, 2 event loops by default. */
  public abstract static sealed class Netty implements EchoServerModel
      permits NettyNio, NettyEpoll, NettyIoUring {
    private final NettyTransport transport;

    private Netty(NettyTransport transport) {
      this.transport = transport;
    }

    @Override
    public final String name() {
      return "netty-" + transport.id();
    }

    @Override
    public final String description() {
      return "Netty on the "
          + transport.id()
          + " transport (default 2 event loops)"
          + (transport.isAvailable()
              ? ""
              : "; not available here, falls back to " + transport.orFallback().id());
    }

    @Override
    public final EchoServer create(EchoServerSettings settings) {
      return new NettyEchoServer(transport, settings);
    }

    @Override
    public final Set<Option> supportedOptions() {
      return NettyEchoServer.OPTIONS;
    }
  }

  /** {@code netty-nio}: {@link NettyEchoServer} on {@link NettyTransport#NIO}. */
  public static final class NettyNio extends Netty {
    /** Creates the model. */
    public NettyNio() {
      super(NettyTransport.NIO);
    }
  }

  /** {@code netty-epoll}: {@link NettyEchoServer} on {@link NettyTransport#EPOLL}. */
  public static final class NettyEpoll extends Netty {
    /** Creates the model. */
    public NettyEpoll() {
      super(NettyTransport.EPOLL);
    }
  }

  /** {@code netty-io_uring}: {@link NettyEchoServer} on {@link NettyTransport#IO_URING}. */
  public static final class NettyIoUring extends Netty {
    /** Creates the model. */
    public NettyIoUring() {
      super(NettyTransport.IO_URING);
    }
  }
}
