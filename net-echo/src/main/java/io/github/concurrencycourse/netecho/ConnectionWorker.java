package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.netty.UppercaseEchoHandler;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
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
      channel.pipeline().addLast(new UppercaseEchoHandler());
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
}
