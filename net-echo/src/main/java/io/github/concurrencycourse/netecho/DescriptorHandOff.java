package io.github.concurrencycourse.netecho;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.UnixChannelOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands accepted TCP sockets from the process that accepted them to the processes that serve them,
 * over a Unix domain socket: the descriptor travels as {@code SCM_RIGHTS} ancillary data, and the
 * kernel installs a duplicate of it in the receiving process. The JDK cannot send a descriptor;
 * Netty's epoll transport can ({@link EpollDomainSocketChannel} writes a {@link FileDescriptor}
 * and, in {@link DomainSocketReadMode#FILE_DESCRIPTORS} mode, reads one).
 *
 * <p>The offering side {@linkplain #listen listens} on a socket path and {@linkplain #offer offers}
 * each socket under a number. A taker {@linkplain #take connects}, sends the number it wants as 8
 * bytes (big-endian), and receives that socket's descriptor; the offering side then closes its own
 * descriptor, so the socket lives on in the taker alone, and closes the hand-off connection. A
 * socket is given once: to the first taker that asks for its number, or to nobody when it is
 * {@linkplain #withdraw withdrawn} first, which closes it. An unknown number gets the connection
 * closed without a descriptor.
 *
 * <p>Who may take a socket is decided by who may connect to the path: put it in a directory only
 * this user may enter. Linux only (Netty's native epoll transport).
 *
 * <p>Thread-safe: offers and withdrawals may come from any thread; the hand-off itself runs on the
 * event loop the listener is registered with.
 */
final class DescriptorHandOff implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DescriptorHandOff.class);

  private final Path socketPath;

  /** The sockets offered and not yet taken or withdrawn: accepted, unregistered epoll channels. */
  private final ConcurrentMap<Long, Channel> offered = new ConcurrentHashMap<>();

  /** Set once, by {@link #listen}, before the hand-off is returned. */
  private volatile Channel listener;

  private DescriptorHandOff(Path socketPath) {
    this.socketPath = socketPath;
  }

  /**
   * Listens on {@code socketPath}, which must not exist, with a channel of {@code group}.
   *
   * @throws IOException if the socket cannot be bound
   */
  static DescriptorHandOff listen(EventLoopGroup group, Path socketPath) throws IOException {
    DescriptorHandOff handOff = new DescriptorHandOff(socketPath);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerDomainSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel taker) {
                    taker.pipeline().addLast(handOff.new NumberReader());
                  }
                })
            .bind(new DomainSocketAddress(socketPath.toFile()))
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen on " + socketPath, bound.cause());
    }
    handOff.listener = bound.channel();
    return handOff;
  }

  /** The path takers connect to. */
  Path socketPath() {
    return socketPath;
  }

  /**
   * Offers {@code socket}, an accepted channel of Netty's epoll transport that is not registered
   * with an event loop, under {@code number}. From now on this hand-off owns it: it closes its
   * descriptor once a taker has it, or when it is withdrawn.
   *
   * @throws IllegalArgumentException if {@code socket} is not an epoll channel, or {@code number}
   *     is on offer already
   */
  void offer(long number, Channel socket) {
    if (!(socket instanceof UnixChannel)) {
      throw new IllegalArgumentException("not a native socket: " + socket);
    }
    if (offered.putIfAbsent(number, socket) != null) {
      throw new IllegalArgumentException("a socket is on offer as " + number + " already");
    }
  }

  /**
   * Takes back the socket offered as {@code number} if nobody has taken it, and closes it: its
   * client sees the connection end.
   *
   * @return whether it was still on offer
   */
  boolean withdraw(long number) {
    Channel socket = offered.remove(number);
    if (socket == null) {
      return false;
    }
    socket.unsafe().closeForcibly();
    return true;
  }

  /** Stops listening and closes every socket still on offer. Idempotent. */
  @Override
  public void close() {
    Channel bound = listener;
    if (bound != null) {
      bound.close().awaitUninterruptibly();
    }
    List<Long> numbers = new ArrayList<>(offered.keySet());
    numbers.forEach(this::withdraw);
  }

  /**
   * Connects to the hand-off at {@code socketPath}, asks for the socket offered as {@code number},
   * and returns the descriptor received, which the caller owns from then on.
   *
   * @throws EOFException if the offering side closed the connection without a descriptor: nothing
   *     was on offer under that number
   * @throws IOException if connecting fails or no descriptor came within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
   */
  static FileDescriptor take(EventLoopGroup group, Path socketPath, long number, Duration timeout)
      throws IOException, InterruptedException {
    CompletableFuture<FileDescriptor> received = new CompletableFuture<>();
    ChannelFuture connected =
        new Bootstrap()
            .group(group)
            .channel(EpollDomainSocketChannel.class)
            .option(
                UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
            .handler(new DescriptorReader(received))
            .connect(new DomainSocketAddress(socketPath.toFile()))
            .await();
    if (!connected.isSuccess()) {
      throw new IOException("cannot connect to the hand-off " + socketPath, connected.cause());
    }
    Channel channel = connected.channel();
    try {
      ChannelFuture asked = channel.writeAndFlush(Unpooled.copyLong(number)).await();
      if (!asked.isSuccess()) {
        throw new IOException("cannot ask " + socketPath + " for socket " + number, asked.cause());
      }
      return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("receiving socket " + number + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "no socket " + number + " from " + socketPath + " within " + timeout, e);
    } finally {
      channel.close().awaitUninterruptibly();
    }
  }

  /** Gives the socket whose number a taker sent; one instance per hand-off connection. */
  private final class NumberReader extends ChannelInboundHandlerAdapter {

    private final ByteBuf number = Unpooled.buffer(Long.BYTES, Long.BYTES);

    // Closing a hand-off connection that went wrong has nothing to report if it fails too.
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf bytes = (ByteBuf) msg;
      try {
        if (bytes.readableBytes() > number.writableBytes()) {
          log.warn("a taker on {} sent more than a socket number; closing it", socketPath);
          ctx.close();
          return;
        }
        number.writeBytes(bytes);
      } finally {
        bytes.release();
      }
      if (!number.isWritable()) {
        give(ctx, number.readLong());
      }
    }

    // The hand-off connection is over once the descriptor is out; a failure is logged below.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void give(ChannelHandlerContext ctx, long wanted) {
      Channel socket = offered.remove(wanted);
      if (socket == null) {
        log.warn("a taker on {} asked for socket {}, which is not on offer", socketPath, wanted);
        ctx.close();
        return;
      }
      ctx.writeAndFlush(((UnixChannel) socket).fd())
          .addListener(
              sent -> {
                // The taker holds its own descriptor now; this one only kept the socket open.
                socket.unsafe().closeForcibly();
                ctx.close();
                if (!sent.isSuccess()) {
                  log.warn(
                      "socket {} could not be handed off: {}", wanted, sent.cause().toString());
                }
              });
    }

    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("hand-off connection on {} failed: {}", socketPath, cause.toString());
      ctx.close();
    }
  }

  /** Completes a future with the first descriptor read, or fails it when the connection ends. */
  private static final class DescriptorReader extends ChannelInboundHandlerAdapter {

    private final CompletableFuture<FileDescriptor> received;

    DescriptorReader(CompletableFuture<FileDescriptor> received) {
      this.received = received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      FileDescriptor descriptor = (FileDescriptor) msg;
      if (!received.complete(descriptor)) {
        closeQuietly(descriptor);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      received.completeExceptionally(
          new EOFException("the hand-off closed the connection without sending a socket"));
      ctx.fireChannelInactive();
    }

    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      received.completeExceptionally(cause);
      ctx.close();
    }

    private static void closeQuietly(FileDescriptor descriptor) {
      try {
        descriptor.close();
      } catch (IOException e) {
        log.debug("closing an extra descriptor failed: {}", e.toString());
      }
    }
  }
}
