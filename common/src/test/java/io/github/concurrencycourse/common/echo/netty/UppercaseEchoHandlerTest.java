package io.github.concurrencycourse.common.echo.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link UppercaseEchoHandler} on an {@link EmbeddedChannel}: the transform on every kind of buffer
 * Netty reads into, the close at EOF and when idle, backpressure and a failure. The servers built
 * on it pass the echo server contract over real sockets.
 */
class UppercaseEchoHandlerTest {

  private static final String SEED = "hello 你好 world";

  private final EmbeddedChannel channel = new EmbeddedChannel(new UppercaseEchoHandler());

  @Test
  void echoesEveryKindOfBufferUpperCasedLeavingTheNonAsciiBytesAlone() {
    List<Function<byte[], ByteBuf>> kinds =
        List.of(
            Unpooled::wrappedBuffer,
            bytes -> Unpooled.directBuffer().writeBytes(bytes),
            UppercaseEchoHandlerTest::composite,
            bytes -> Unpooled.wrappedBuffer(bytes).readerIndex(6));

    for (Function<byte[], ByteBuf> kind : kinds) {
      ByteBuf read = kind.apply(SEED.getBytes(UTF_8));
      String expected = read.toString(UTF_8).toUpperCase(Locale.ROOT);

      channel.writeInbound(read);
      ByteBuf echoed = channel.readOutbound();

      assertThat(echoed.toString(UTF_8)).isEqualTo(expected);
      echoed.release();
    }
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aBufferOfManyComponentsLongerThanTheCopyChunkIsUpperCasedWhole() {
    byte[] bytes =
        SEED.repeat(3 * UppercaseEchoHandler.COPY_CHUNK_BYTES / SEED.length()).getBytes(UTF_8);
    String expected = new String(bytes, UTF_8).toUpperCase(Locale.ROOT);

    channel.writeInbound(composite(bytes));
    ByteBuf echoed = channel.readOutbound();

    assertThat(echoed.toString(UTF_8)).isEqualTo(expected);
    echoed.release();
  }

  @Test
  void aBufferWhoseNioViewIsACopyIsUpperCasedThroughTheCopyPath() {
    ByteBuf read = new NioCopyingBuffer(Unpooled.directBuffer().writeBytes(SEED.getBytes(UTF_8)));
    assertThat(read.nioBufferCount()).isEqualTo(1);

    channel.writeInbound(read);
    ByteBuf echoed = channel.readOutbound();

    assertThat(echoed.toString(UTF_8)).isEqualTo(SEED.toUpperCase(Locale.ROOT));
    echoed.release();
  }

  @Test
  void atTheClientsEofSendsTheRestAndCloses() {
    channel.writeInbound(Unpooled.copiedBuffer("last words", UTF_8));

    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

    ByteBuf echoed = channel.readOutbound();
    assertThat(echoed.toString(UTF_8)).isEqualTo("LAST WORDS");
    echoed.release();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closesAnIdleConnectionUnlessReadingIsPausedForBackpressure() {
    channel.config().setAutoRead(false);
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    assertThat(channel.isOpen()).isTrue();

    channel.config().setAutoRead(true);
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void pausesReadingWhileTheConnectionCannotWriteAndResumesOnceItCan() {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();
    channel.pipeline().fireChannelReadComplete();
    assertThat(channel.config().isAutoRead()).isFalse();

    // The outbound buffer tells of a change of writability on the event loop, a moment later.
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void closesAConnectionThatFails() {
    channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

    assertThat(channel.isOpen()).isFalse();
  }

  /** A buffer whose {@code nioBuffer} is a copy, as {@link ByteBuf}'s contract allows. */
  private static final class NioCopyingBuffer extends WrappedByteBuf {

    NioCopyingBuffer(ByteBuf buffer) {
      super(buffer);
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
      return ByteBuffer.allocateDirect(length).put(super.nioBuffer(index, length)).flip();
    }
  }

  private static ByteBuf composite(byte[] bytes) {
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    composite.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 0, 5));
    composite.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 5, bytes.length - 5));
    return composite;
  }
}
