package io.github.concurrencycourse.crawler.demo;

import io.github.concurrencycourse.common.concurrent.Uninterruptibly;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo site's HTTP/1.1 server: one Netty event loop on 127.0.0.1 that reads each request, asks
 * the {@link Site} for its answer at once, and writes the answer when it is due. No thread waits
 * through a latency, so the site's timing does not depend on how quickly sleeping threads get a
 * core back, and a client that stops reading holds up only its own connection.
 *
 * <p>Each connection's requests are answered one at a time, in order, as HTTP/1.1 requires: a
 * request that arrives while an earlier one is being answered waits, and counts as arrived when its
 * turn comes. A malformed request, or more than {@value #MAX_WAITING} waiting on one connection,
 * closes that connection and nothing else. Thread-safe; the {@link Site} is called on the event
 * loop only.
 */
final class DemoSiteServer implements AutoCloseable {

  /** What the server serves. */
  interface Site {

    /** What to answer to {@code request}, and how long after its arrival (its delay). */
    Reply prepare(Request request);

    /**
     * Called when the answer to {@code request} is due: just before {@code reply} is written, or
     * dropped if its client has closed the connection ({@code clientGone}).
     */
    void answering(Request request, Reply reply, boolean clientGone);
  }

  /** One request: its {@code Host} header (null if none), raw path, client and arrival time. */
  record Request(String hostHeader, String path, InetSocketAddress client, long arrivedNanos) {}

  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final int MAX_WAITING = 16;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int BACKLOG = 1024;

  private final Site site;
  private final EventLoopGroup loop;
  private final Channel listener;
  private final AtomicReference<Thread> loopThread = new AtomicReference<>();
  private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);

  /**
   * Starts listening on an ephemeral port of 127.0.0.1.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  DemoSiteServer(Site site) {
    this.site = site;
    boolean epoll = Epoll.isAvailable();
    this.loop =
        new MultiThreadIoEventLoopGroup(
            1,
            rememberingLoopThread(new DefaultThreadFactory("demo-site", true)),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loop)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, BACKLOG)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    connections.add(channel);
                    channel
                        .pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                            new Connection());
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      throw new UncheckedIOException(
          "could not start the demo site on 127.0.0.1",
          bound.cause() instanceof IOException e ? e : new IOException(bound.cause()));
    }
    this.listener = bound.channel();
  }

  /** The port the server listens on. */
  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Drops every answer not yet due, closes every connection and waits for the event loop's thread
   * to end: the group's termination is reported before its thread has quite finished.
   */
  @Override
  public void close() {
    listener.close().awaitUninterruptibly();
    connections.close().awaitUninterruptibly();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    Thread thread = loopThread.get();
    if (thread != null) {
      Uninterruptibly.await(thread::join);
    }
  }

  private ThreadFactory rememberingLoopThread(ThreadFactory threads) {
    return task -> {
      Thread thread = threads.newThread(task);
      loopThread.set(thread);
      return thread;
    };
  }

  /** One connection's state; lives on the event loop. */
  private final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private boolean answering;

    /** A request read but not yet taken up. */
    private record Waiting(String hostHeader, String path, boolean keepAlive) {}

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest message) {
      if (message.decoderResult().isFailure() || waiting.size() >= MAX_WAITING) {
        reject(context);
        return;
      }
      waiting.add(
          new Waiting(
              message.headers().get(HttpHeaderNames.HOST),
              new QueryStringDecoder(message.uri()).rawPath(),
              HttpUtil.isKeepAlive(message)));
      if (!answering) {
        takeNext(context);
      }
    }

    // Closing after a failure has nothing left to report if it fails too.
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      context.close();
    }

    private void takeNext(ChannelHandlerContext context) {
      Waiting next = waiting.poll();
      answering = next != null;
      if (next == null) {
        return;
      }
      Request request =
          new Request(
              next.hostHeader(),
              next.path(),
              (InetSocketAddress) context.channel().remoteAddress(),
              System.nanoTime());
      Reply reply = site.prepare(request);
      long due = reply.delay().toNanos() - (System.nanoTime() - request.arrivedNanos());
      var unused =
          context
              .executor()
              .schedule(
                  () -> answer(context, request, reply, next.keepAlive()),
                  due,
                  TimeUnit.NANOSECONDS);
    }

    private void answer(
        ChannelHandlerContext context, Request request, Reply reply, boolean keepAlive) {
      boolean clientGone = !context.channel().isActive();
      site.answering(request, reply, clientGone);
      if (clientGone) {
        return;
      }
      ChannelFuture written = write(context, reply, keepAlive);
      if (keepAlive) {
        takeNext(context);
      } else {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    // The head and the chunks go with the void promise: a failed write reaches exceptionCaught,
    // and the last write's future tells the caller when the whole answer is out.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static ChannelFuture write(
        ChannelHandlerContext context, Reply reply, boolean keepAlive) {
      HttpResponseStatus status = HttpResponseStatus.valueOf(reply.status());
      ByteBuffer body = reply.body().asByteBuffer();
      if (!reply.chunked()) {
        DefaultFullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        describe(response, reply, keepAlive);
        HttpUtil.setContentLength(response, body.remaining());
        return context.writeAndFlush(response);
      }
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
      describe(head, reply, keepAlive);
      HttpUtil.setTransferEncodingChunked(head, true);
      context.write(head, context.voidPromise());
      for (int offset = 0; offset < body.remaining(); offset += CHUNK_BYTES) {
        int length = Math.min(CHUNK_BYTES, body.remaining() - offset);
        context.write(
            new DefaultHttpContent(Unpooled.wrappedBuffer(body.slice(offset, length))),
            context.voidPromise());
      }
      return context.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static void describe(HttpResponse response, Reply reply, boolean keepAlive) {
      reply.headers().forEach(response.headers()::set);
      if (reply.contentType() != null) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
      }
      HttpUtil.setKeepAlive(response, keepAlive);
    }

    private static void reject(ChannelHandlerContext context) {
      DefaultFullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      HttpUtil.setContentLength(response, 0);
      context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
