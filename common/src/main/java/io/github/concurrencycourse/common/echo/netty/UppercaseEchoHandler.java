package io.github.concurrencycourse.common.echo.netty;

import io.github.concurrencycourse.common.echo.UppercaseEcho;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code talk} on Netty: sends back every buffer read, upper-cased in place ({@link
 * UppercaseEcho}); stops reading from a connection while it cannot write, that is while its client
 * does not read its replies, and reads again once the outbound buffer has drained; at the client's
 * EOF sends the rest and closes. An {@link IdleStateHandler} in front of it makes an idle
 * connection close, unless reading is paused: the silence is then the client's not reading.
 *
 * <p>A failed connection is closed and logged at debug level; the server goes on. The channel must
 * allow half-closure ({@code ChannelOption.ALLOW_HALF_CLOSURE}), or an EOF closes the connection
 * before the rest of the reply is out.
 *
 * <p>Stateless, hence {@linkplain ChannelHandler.Sharable sharable}: one instance serves every
 * connection of a server. It ends the pipeline: nothing it reads goes further.
 */
@ChannelHandler.Sharable
public final class UppercaseEchoHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(UppercaseEchoHandler.class);

  /**
   * The most bytes copied out and back at a time for a buffer that offers no shared view. Not
   * private: a test sends a buffer several times as long.
   */
  static final int COPY_CHUNK_BYTES = 8192;

  /** Creates the handler. */
  public UppercaseEchoHandler() {}

  // The void promise allocates nothing per write; a failed write reaches exceptionCaught instead.
  @SuppressWarnings("FutureReturnValueIgnored")
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buffer = (ByteBuf) msg;
    upperCaseReadableBytes(buffer);
    ctx.write(buffer, ctx.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    // Checked after the flush, on the event loop: a drain that happened during the flush has
    // already made the channel writable, and a later one fires channelWritabilityChanged.
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
      // A connection paused for backpressure is silent because its client does not read.
      if (ctx.channel().config().isAutoRead()) {
        log.debug("connection {} idle, closing it", ctx.channel());
        ctx.close();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  // Closing after a failure has nothing left to report if it fails too.
  @SuppressWarnings("FutureReturnValueIgnored")
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("connection {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /**
   * Transforms the readable bytes of {@code buffer} in place with {@link UppercaseEcho}'s bulk
   * methods: per-byte {@code getByte}/{@code setByte} calls, each checked for bounds and reference
   * count, would cost more than the IO they serve.
   */
  static void upperCaseReadableBytes(ByteBuf buffer) {
    int index = buffer.readerIndex();
    int length = buffer.readableBytes();
    if (length == 0) {
      return;
    }
    if (buffer.hasArray()) {
      UppercaseEcho.upperCaseInPlace(buffer.array(), buffer.arrayOffset() + index, length);
      return;
    }
    if (buffer.nioBufferCount() == 1) {
      ByteBuffer view = buffer.nioBuffer(index, length);
      if (writesThrough(view, buffer, index)) {
        UppercaseEcho.upperCaseInPlace(view);
        return;
      }
    }
    byte[] chunk = new byte[Math.min(length, COPY_CHUNK_BYTES)];
    for (int done = 0; done < length; done += chunk.length) {
      int n = Math.min(chunk.length, length - done);
      buffer.getBytes(index + done, chunk, 0, n);
      UppercaseEcho.upperCaseInPlace(chunk, 0, n);
      buffer.setBytes(index + done, chunk, 0, n);
    }
  }

  /**
   * Whether a write to {@code view} changes {@code buffer} at {@code index}. {@link
   * ByteBuf#nioBuffer(int, int)} may return a copy rather than a view; the Netty 4.2 buffers read
   * from a socket do share their memory, but the contract allows a copy, so one byte is flipped and
   * restored to find out.
   */
  private static boolean writesThrough(ByteBuffer view, ByteBuf buffer, int index) {
    byte original = view.get(0);
    view.put(0, (byte) ~original);
    boolean shared = buffer.getByte(index) != original;
    view.put(0, original);
    return shared;
  }
}
