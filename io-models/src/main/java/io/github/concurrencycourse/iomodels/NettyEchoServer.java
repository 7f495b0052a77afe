package io.github.concurrencycourse.iomodels;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.echo.netty.UppercaseEchoHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production reference: the same echo on Netty, with the transport chosen at construction —
 * {@linkplain NettyTransport#NIO NIO} (a JDK selector, the model of {@link SelectorEchoServer}),
 * {@linkplain NettyTransport#EPOLL epoll} (Netty's own JNI binding, edge-triggered) or {@linkplain
 * NettyTransport#IO_URING io_uring} (the kernel completes each read into Netty's buffer and then
 * reports it: the closest Linux comes to Stevens' asynchronous IO).
 *
 * <p>A native transport the system refuses (another OS, a kernel without io_uring, or io_uring
 * switched off by {@code kernel.io_uring_disabled} or a seccomp filter) is replaced by the next one
 * in the order io_uring, epoll, NIO, with a warning in the log that names the cause; {@link
 * #transport()} says which one runs.
 *
 * <p>Backpressure: when a connection's outbound buffer passes Netty's high-water mark (64 KiB), the
 * server stops reading from it until the buffer has drained below the low-water mark.
 *
 * <p>Settings ({@link #OPTIONS}): {@code workers} is the number of event loops. The connection
 * limit is honoured on the listening channel's event loop: a connection accepted beyond it is held,
 * unregistered and unread, until a served one ends, and the listening channel stops reading (so
 * further newcomers wait in the kernel's listen queue) while the limit is reached. The idle timeout
 * is an {@link IdleStateHandler} that closes a connection which has sent nothing for that long
 * while the server was reading from it. A grace period is refused: {@code close} ends connections
 * at once.
 *
 * <p>Thread-safe as {@link EchoServer} requires. The event loops are threads named {@code
 * netty-echo-<transport>-N}; {@link #close()} shuts the group down and waits for them to end. Netty
 * keeps a JVM-wide thread, {@code globalEventExecutor}, that outlives any one server.
 */
public final class NettyEchoServer extends AbstractEchoServer {

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.WORKERS, Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT);

  private static final Logger log = LoggerFactory.getLogger(NettyEchoServer.class);

  private static final long SHUTDOWN_TIMEOUT_SECONDS = 30;

  private final NettyTransport requested;
  private final NettyTransport transport;
  private final int threads;
  private final int maxConnections;
  private final long idleMillis;
  private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ChannelHandler tracker = new ConnectionTracker();
  private final ChannelHandler echo = new UppercaseEchoHandler();
  private final AcceptGate gate;
  private volatile EventLoopGroup group;
  private volatile Channel listener;

  /**
   * A server on {@code transport}, or on the best available one if the system refuses it, with
   * {@code threads} event loops.
   *
   * @throws IllegalArgumentException if {@code threads} is not positive
   */
  public NettyEchoServer(NettyTransport transport, int threads) {
    this(
        transport,
        EchoServerSettings.DEFAULTS.withWorkers(
            SelectorEchoServer.requirePositive("threads", threads)));
  }

  /**
   * A server on {@code transport}, or on the best available one if the system refuses it, with
   * {@code settings.workersOr(2)} event loops and the settings' connection limit and idle timeout.
   *
   * @throws IllegalArgumentException if the settings give a value to an option not in {@link
   *     #OPTIONS}
   */
  public NettyEchoServer(NettyTransport transport, EchoServerSettings settings) {
    Objects.requireNonNull(transport, "transport");
    settings.requireSupported("netty-" + transport.id(), OPTIONS);
    this.requested = transport;
    this.transport = transport.orFallback();
    this.threads = settings.workersOr(2);
    this.maxConnections = settings.maxConnections();
    this.idleMillis = settings.idleTimeout().isZero() ? 0 : settings.idleTimeoutMillis();
    this.gate = maxConnections > 0 ? new AcceptGate() : null;
    if (this.transport != transport) {
      log.warn("Netty transport: {}", describeTransport());
    }
  }

  /** The transport asked for. */
  public NettyTransport requestedTransport() {
    return requested;
  }

  /** The transport that runs: the one asked for, or its fallback. */
  public NettyTransport transport() {
    return transport;
  }

  /**
   * The transport that runs, for a person to read: {@code "epoll"} when it is the one asked for,
   * else also the one asked for and why the system refused it, for example {@code "epoll (io_uring
   * is not available here: ...; fell back)"}.
   */
  public String describeTransport() {
    if (transport == requested) {
      return transport.id();
    }
    return transport.id()
        + " ("
        + requested.id()
        + " is not available here: "
        + requested.unavailabilityCause().map(String::valueOf).orElse("no cause given")
        + "; fell back)";
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    EventLoopGroup newGroup =
        new MultiThreadIoEventLoopGroup(
            threads,
            threadFactory(new DefaultThreadFactory("netty-echo-" + transport.id())),
            transport.ioHandlerFactory());
    group = newGroup;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(newGroup)
            .channel(transport.serverChannelType())
            .option(ChannelOption.SO_BACKLOG, BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // An EOF must not close the connection before the rest of the reply is out.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(new ConnectionPipeline());
    if (gate != null) {
      bootstrap.handler(gate);
    }
    ChannelFuture binding = bootstrap.bind(endpoint).awaitUninterruptibly();
    if (!binding.isSuccess()) {
      throw bindFailure(endpoint, binding.cause());
    }
    listener = binding.channel();
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  protected void release() {
    Channel channel = listener;
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    children.close().awaitUninterruptibly();
    EventLoopGroup started = group;
    if (started != null) {
      boolean interrupted = Thread.interrupted();
      try {
        if (!started
            .shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .await(SHUTDOWN_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
          log.warn("Netty's event loops did not end within {} s", SHUTDOWN_TIMEOUT_SECONDS * 2);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Counts each connection and keeps it for {@link #release()}, and frees its place under the
   * connection limit when it ends.
   */
  @ChannelHandler.Sharable
  private final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      connections().opened();
      children.add(ctx.channel());
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connections().closed();
      if (gate != null) {
        gate.connectionEnded();
      }
      ctx.fireChannelInactive();
    }
  }

  /**
   * Builds each connection's pipeline: the idle timeout, if any, in front of the shared tracker and
   * echo handler.
   */
  private final class ConnectionPipeline extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel channel) {
      if (idleMillis > 0) {
        channel.pipeline().addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
      }
      channel.pipeline().addLast(tracker, echo);
    }
  }

  /**
   * The connection limit, in the listening channel's pipeline: it sees each accepted connection
   * before Netty registers it, passes on at most {@code maxConnections} at a time, holds the others
   * in arrival order, and stops the listening channel from reading while the limit is reached.
   * Every field is used on the listening channel's event loop only.
   */
  private final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final Deque<Channel> waiting = new ArrayDeque<>();
    private int admitted;
    private volatile ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (admitted < maxConnections) {
        admitted++;
        ctx.fireChannelRead(msg);
      } else {
        waiting.addLast((Channel) msg);
      }
      if (admitted >= maxConnections) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    /** Called from any thread when a served connection has closed. */
    void connectionEnded() {
      ChannelHandlerContext ctx = context;
      try {
        ctx.executor().execute(() -> admitNext(ctx));
      } catch (RejectedExecutionException e) {
        // The server is shutting down; the connections still waiting are closed with it.
      }
    }

    private void admitNext(ChannelHandlerContext ctx) {
      admitted--;
      Channel next = waiting.pollFirst();
      if (next != null) {
        admitted++;
        ctx.fireChannelRead(next);
      } else if (ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      for (Channel held : waiting) {
        held.unsafe().closeForcibly();
      }
      waiting.clear();
      ctx.fireChannelInactive();
    }
  }
}
