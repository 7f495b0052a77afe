package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.AbstractEchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import java.time.Duration;

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
  public static final class Blocking extends AbstractEchoServerModel {

    public Blocking() {
      super(
          "blocking",
          "blocking accept/read/write: each thread serves one client at a time (default 1)",
          BlockingEchoServer.OPTIONS,
          BlockingEchoServer::new);
    }
  }

  /** {@code non-blocking}: {@link NonBlockingEchoServer}, one polling thread, no back-off. */
  public static final class NonBlocking extends AbstractEchoServerModel {

    public NonBlocking() {
      super(
          "non-blocking",
          "one thread polls every non-blocking channel in a loop, burning a core while idle",
          NonBlockingEchoServer.OPTIONS,
          settings -> new NonBlockingEchoServer(settings, Duration.ZERO));
    }
  }

  /** {@code selector}: {@link SelectorEchoServer}, 2 event loops by default. */
  public static final class Selector extends AbstractEchoServerModel {

    public Selector() {
      super(
          "selector",
          "IO multiplexing: Selector event loops (default 2), bounded buffer per connection",
          SelectorEchoServer.OPTIONS,
          settings -> new SelectorEchoServer(settings, SelectorEchoServer.DEFAULT_BUFFER_SIZE));
    }
  }

  /** {@code async}: {@link AsyncEchoServer}, 2 group threads by default. */
  public static final class Async extends AbstractEchoServerModel {

    public Async() {
      super(
          "async",
          "AsynchronousSocketChannel with completion handlers (default 2 threads)",
          AsyncEchoServer.OPTIONS,
          settings -> new AsyncEchoServer(settings, SelectorEchoServer.DEFAULT_BUFFER_SIZE));
    }
  }

  /** The Netty models: one per transport, 2 event loops by default. */
  public abstract static sealed class Netty extends AbstractEchoServerModel
      permits NettyNio, NettyEpoll, NettyIoUring {

    private Netty(NettyTransport transport) {
      super(
          "netty-" + transport.id(),
          "Netty on the "
              + transport.id()
              + " transport (default 2 event loops)"
              + (transport.isAvailable()
                  ? ""
                  : "; not available here, falls back to " + transport.orFallback().id()),
          NettyEchoServer.OPTIONS,
          settings -> new NettyEchoServer(transport, settings));
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
