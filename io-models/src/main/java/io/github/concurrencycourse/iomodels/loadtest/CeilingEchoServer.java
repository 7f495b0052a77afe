package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The cheapest correct echo server this course can write, measured beside the models as the ceiling
 * of the rig: what the load generator, the kernel's loopback and one server CPU allow at all. One
 * thread, one selector, one direct 64 KiB buffer: each ready connection is read into it,
 * upper-cased and written back from it. It keeps no statistics, has no limits, timeouts or
 * hand-over between loops, and allocates nothing per message; a model that comes close to it has
 * little left to gain on this machine.
 *
 * <p>It is still correct: a reply the kernel takes only in part is kept, in a copy, until {@code
 * OP_WRITE} lets it out, and the connection is not read from meanwhile. Not registered as a model:
 * only the comparison starts it. Thread-safe as {@link AbstractEchoServer} requires.
 */
final class CeilingEchoServer extends AbstractEchoServer {

  private static final int BUFFER_SIZE = 64 * 1024;

  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.nativeOrder());
  private volatile Selector selector;
  private volatile ServerSocketChannel listener;
  private volatile Thread loop;

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    listener = channel;
    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    channel.bind(endpoint, BACKLOG);
    channel.configureBlocking(false);
    Selector opened = Selector.open();
    selector = opened;
    channel.register(opened, SelectionKey.OP_ACCEPT);
    loop = threadFactory(Thread.ofPlatform().name("ceiling-echo")).newThread(this::run);
    loop.start();
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  protected void release() {
    Selector opened = selector;
    Thread started = loop;
    if (started == null) {
      closeQuietly(listener);
      closeQuietly(opened);
      return;
    }
    opened.wakeup();
    try {
      started.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!isClosed()) {
        selector.select(this::onReady);
      }
    } catch (IOException | RuntimeException e) {
      if (!isClosed()) {
        throw new IllegalStateException("the ceiling server's loop failed", e);
      }
    } finally {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      closeQuietly(selector);
    }
  }

  private void onReady(SelectionKey key) {
    try {
      if (key.isAcceptable()) {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
          channel.configureBlocking(false);
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.register(selector, SelectionKey.OP_READ);
          connections().opened();
        }
      } else if (key.isReadable()) {
        echo(key);
      } else if (key.isWritable()) {
        ByteBuffer rest = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(rest);
        if (!rest.hasRemaining()) {
          key.attach(null);
          key.interestOps(SelectionKey.OP_READ);
        }
      }
    } catch (IOException e) {
      if (key.channel() instanceof SocketChannel) {
        close(key);
      }
    }
  }

  private void echo(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    buffer.clear();
    if (channel.read(buffer) < 0) {
      close(key);
      return;
    }
    buffer.flip();
    UppercaseEcho.upperCaseInPlace(buffer);
    // Again while the kernel takes something: cheaper than a trip through OP_WRITE.
    while (buffer.hasRemaining() && channel.write(buffer) > 0) {}
    if (buffer.hasRemaining()) {
      key.attach(ByteBuffer.allocate(buffer.remaining()).put(buffer).flip());
      key.interestOps(SelectionKey.OP_WRITE);
    }
  }

  private void close(SelectionKey key) {
    key.cancel();
    closeQuietly(key.channel());
    connections().closed();
  }
}
