package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.UppercaseEcho;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of one connection of a {@link ProcessPerConnectionEchoServer}: the seed's {@code
 * Process(target=talk, args=(conn,))}. It takes the accepted socket from the parent through the
 * {@link DescriptorHandOff}, serves it until the client leaves, and exits; the parent counts the
 * connection as alive for as long as this JVM lives.
 *
 * <p>It tells the parent over the channel between them ({@link MessageChannel}) once it serves,
 * with the client's address as the socket it received shows it ({@link Serving}). The parent tells
 * it nothing: when the parent closes its end of the channel (the server is closing) or dies, the
 * child stops wherever it is, closes the connection if it has one, and exits.
 *
 * <p>Arguments: the hand-off socket's path, the connection's number, the idle timeout in
 * milliseconds (0 for none).
 */
final class ConnectionWorker implements WorkerTask {

  /** How long the child waits for its socket; the parent offers it before starting the child. */
  private static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The child serves the connection.
   *
   * @param clientHost the client's address, as the received socket's peer
   * @param clientPort the client's port, as the received socket's peer
   */
  record Serving(String clientHost, int clientPort) {

    /** The client's address. */
    InetSocketAddress client() {
      return new InetSocketAddress(clientHost, clientPort);
    }
  }

  ConnectionWorker() {}

  static List<String> arguments(Path handOff, long connection, Duration idleTimeout) {
    return List.of(
        handOff.toString(), String.valueOf(connection), String.valueOf(idleTimeout.toMillis()));
  }

  @Override
  public void run(List<String> arguments) throws Exception {
    Path handOff = Path.of(arguments.get(0));
    long connection = Long.parseLong(arguments.get(1));
    long idleMillis = Long.parseLong(arguments.get(2));
    Thread serving = Thread.currentThread();
    // One event loop: the child has one connection to serve.
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EpollSocketChannel channel = null;
    try (MessageChannel<Serving, Void> parent =
        MessageChannel.toParent(Serving.class, Void.class)) {
      Thread.ofPlatform()
          .daemon()
          .name("parent-channel")
          .start(
              () -> {
                if (parentStopsUs(parent)) {
                  serving.interrupt();
                }
              });
      FileDescriptor socket = DescriptorHandOff.take(loop, handOff, connection, HAND_OFF_TIMEOUT);
      channel = new EpollSocketChannel(socket.intValue());
      channel.config().setTcpNoDelay(true);
      // An EOF must not close the connection before the rest of the reply is out.
      channel.config().setAllowHalfClosure(true);
      if (idleMillis > 0) {
        channel.pipeline().addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
      }
      channel.pipeline().addLast(new EchoHandler());
      loop.register(channel).sync();
      if (!channel.isActive()) {
        // The client reset the connection before the child took it.
        return;
      }
      InetSocketAddress client = channel.remoteAddress();
      try {
        parent.send(new Serving(client.getHostString(), client.getPort()));
      } catch (IOException parentGone) {
        return;
      }
      channel.closeFuture().await();
    } catch (InterruptedException stop) {
      // The parent closed its end of the channel, or died: the server is closing.
    } finally {
      if (channel != null) {
        channel.close().awaitUninterruptibly();
      }
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /**
   * Waits for the parent to close its end of the channel, and says whether it did (or the channel
   * broke, which leaves the child unsupervised): false when this child closed its own end first, on
   * its way out.
   */
  private static boolean parentStopsUs(MessageChannel<Serving, Void> parent) {
    try {
      while (parent.receive().isPresent()) {
        // The parent sends nothing; its end of stream is the message.
      }
      return true;
    } catch (ClosedChannelException closedHere) {
      return false;
    } catch (IOException broken) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The seed's {@code talk}: sends back every buffer read, upper-cased in place; stops reading
   * while the client does not read its replies; at the client's EOF sends the rest and closes.
   */
  private static final class EchoHandler extends ChannelInboundHandlerAdapter {

    /** The bytes transformed at a time, through this array, for a buffer of any kind. */
    private final byte[] chunk = new byte[8192];

    // The void promise allocates nothing per write; a failed write reaches exceptionCaught instead.
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buffer = (ByteBuf) msg;
      int end = buffer.writerIndex();
      for (int at = buffer.readerIndex(); at < end; at += chunk.length) {
        int n = Math.min(chunk.length, end - at);
        buffer.getBytes(at, chunk, 0, n);
        UppercaseEcho.upperCaseInPlace(chunk, 0, n);
        buffer.setBytes(at, chunk, 0, n);
      }
      ctx.write(buffer, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
      // Only what the socket could not take stops the reading: its draining restarts it below.
      if (!ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    // Closing a connection that is over has nothing to report if it fails.
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else if (event instanceof IdleStateEvent) {
        // While reading is paused the silence is the client's not reading its replies.
        if (ctx.channel().config().isAutoRead()) {
          ctx.close();
        }
      } else {
        ctx.fireUserEventTriggered(event);
      }
    }

    // A reset or another I/O error ends the connection, and with it this JVM.
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
