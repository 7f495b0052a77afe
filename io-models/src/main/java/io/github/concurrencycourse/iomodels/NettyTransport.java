package io.github.concurrencycourse.iomodels;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Optional;

/**
 * The Netty transports {@link NettyEchoServer} can run on, each with what it needs to start and
 * whether this system supports it. Immutable and thread-safe.
 */
public enum NettyTransport {
  /** The JDK's {@code Selector} (epoll underneath on Linux); runs everywhere. */
  NIO("nio"),
  /** Netty's own epoll binding (JNI); Linux only. */
  EPOLL("epoll"),
  /** io_uring (JNI); Linux 5.14 or later, unless the kernel or a sandbox switches it off. */
  IO_URING("io_uring");

  private final String id;

  NettyTransport(String id) {
    this.id = id;
  }

  /**
   * The transport's short name, as in the model names {@code netty-nio}, {@code netty-io_uring}.
   */
  public String id() {
    return id;
  }

  /** Whether this system can run the transport. */
  public boolean isAvailable() {
    return switch (this) {
      case NIO -> true;
      case EPOLL -> Epoll.isAvailable();
      case IO_URING -> IoUring.isAvailable();
    };
  }

  /** Why this system cannot run the transport, or empty if it can. */
  public Optional<Throwable> unavailabilityCause() {
    return Optional.ofNullable(
        switch (this) {
          case NIO -> null;
          case EPOLL -> Epoll.unavailabilityCause();
          case IO_URING -> IoUring.unavailabilityCause();
        });
  }

  /** This transport if available, else the first available one after it: io_uring, epoll, NIO. */
  public NettyTransport orFallback() {
    if (isAvailable()) {
      return this;
    }
    return switch (this) {
      case IO_URING -> EPOLL.orFallback();
      case EPOLL, NIO -> NIO;
    };
  }

  IoHandlerFactory ioHandlerFactory() {
    return switch (this) {
      case NIO -> NioIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case IO_URING -> IoUringIoHandler.newFactory();
    };
  }

  Class<? extends ServerChannel> serverChannelType() {
    return switch (this) {
      case NIO -> NioServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      case IO_URING -> IoUringServerSocketChannel.class;
    };
  }
}
