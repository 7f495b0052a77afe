package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DescriptorHandOff} with both sides in this JVM: accepted TCP sockets are offered, taken as
 * descriptors over the Unix domain socket, withdrawn, and refused to takers that ask wrongly. What
 * the taker receives is shown to be the client's socket by talking over it, and the offering side's
 * copy to be closed by the client's end of stream once the taker closes its own.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DescriptorHandOffTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path directory;

  private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private EventLoopGroup group;
  private EpollServerSocketChannel listening;
  private DescriptorHandOff handOff;

  @BeforeEach
  void listen() throws Exception {
    assumeTrue(Epoll.isAvailable(), "Netty's epoll transport (Linux)");
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    // As the process-per-connection server's listener: accepted sockets are kept, not registered.
    listening = new EpollServerSocketChannel();
    listening
        .pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                accepted.add((Channel) msg);
              }
            });
    group.register(listening).sync();
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
    handOff = DescriptorHandOff.listen(group, handOffPath());
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    if (handOff != null) {
      handOff.close();
    }
    if (listening != null) {
      listening.close().sync();
    }
    for (Channel left : accepted) {
      left.unsafe().closeForcibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void aTakerReceivesTheClientsSocketAndTheOfferingSideKeepsNoCopy() throws Exception {
    Socket client = connectClient();
    Channel socket = acceptedSocket();
    handOff.offer(7, socket);

    FileDescriptor taken = DescriptorHandOff.take(group, handOff.socketPath(), 7, WAIT);
    try {
      write(taken, "from the taker");
      assertThat(new String(client.getInputStream().readNBytes(14), StandardCharsets.UTF_8))
          .isEqualTo("from the taker");
      await("the offering side to close its copy").atMost(WAIT).until(() -> !socket.isOpen());
    } finally {
      taken.close();
    }

    assertThat(client.getInputStream().read())
        .as("the client sees the end of the stream once the taker closes the only copy")
        .isEqualTo(-1);
    assertThat(handOff.withdraw(7)).as("a socket is given once").isFalse();
  }

  @Test
  void aSocketIsGivenOnceAndAnUnknownNumberGetsNoDescriptor() throws Exception {
    connectClient();
    handOff.offer(1, acceptedSocket());
    DescriptorHandOff.take(group, handOff.socketPath(), 1, WAIT).close();

    assertThatThrownBy(() -> DescriptorHandOff.take(group, handOff.socketPath(), 1, WAIT))
        .isInstanceOf(EOFException.class)
        .hasMessage("the hand-off closed the connection without sending a socket");
    assertThatThrownBy(() -> DescriptorHandOff.take(group, handOff.socketPath(), 2, WAIT))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void aWithdrawnSocketIsClosedAndCannotBeTaken() throws Exception {
    Socket client = connectClient();
    handOff.offer(3, acceptedSocket());

    assertThat(handOff.withdraw(3)).isTrue();

    assertThat(client.getInputStream().read()).as("the client sees the end").isEqualTo(-1);
    assertThat(handOff.withdraw(3)).isFalse();
    assertThatThrownBy(() -> DescriptorHandOff.take(group, handOff.socketPath(), 3, WAIT))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void closeStopsListeningAndClosesEverySocketStillOnOffer() throws Exception {
    Socket first = connectClient();
    handOff.offer(1, acceptedSocket());
    Socket second = connectClient();
    handOff.offer(2, acceptedSocket());

    handOff.close();
    handOff.close();

    assertThat(first.getInputStream().read()).isEqualTo(-1);
    assertThat(second.getInputStream().read()).isEqualTo(-1);
    assertThatThrownBy(() -> DescriptorHandOff.take(group, handOff.socketPath(), 1, WAIT))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to the hand-off " + handOff.socketPath());
  }

  @Test
  void refusesASocketThatIsNotNativeAndANumberOnOfferAlready() throws Exception {
    EmbeddedChannel notNative = new EmbeddedChannel();
    opened.add(() -> notNative.finishAndReleaseAll());
    assertThatThrownBy(() -> handOff.offer(1, notNative))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a native socket: ");

    connectClient();
    Channel offered = acceptedSocket();
    handOff.offer(1, offered);
    connectClient();
    Channel other = acceptedSocket();
    opened.add(() -> other.unsafe().closeForcibly());

    assertThatThrownBy(() -> handOff.offer(1, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a socket is on offer as 1 already");
    assertThat(offered.isOpen()).as("the first offer stands").isTrue();
  }

  @Test
  void aNumberSentInPiecesIsPutTogether() throws Exception {
    Socket client = connectClient();
    Channel socket = acceptedSocket();
    handOff.offer(0x0102030405060708L, socket);

    try (SocketChannel taker = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      taker.connect(UnixDomainSocketAddress.of(handOff.socketPath()));
      ByteBuffer number = ByteBuffer.allocate(Long.BYTES).putLong(0x0102030405060708L).flip();
      taker.write(number.slice(0, 3));
      taker.write(number.slice(3, 5));

      // The JDK cannot receive the descriptor: the kernel drops it, and the offering side, having
      // sent it, closes its copy and the hand-off connection.
      assertThat(readToEnd(taker)).isPositive();
    }
    await("the offering side to close its copy").atMost(WAIT).until(() -> !socket.isOpen());
    assertThat(client.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void aTakerThatSendsMoreThanANumberIsDisconnectedAndTheSocketStaysOnOffer() throws Exception {
    connectClient();
    handOff.offer(5, acceptedSocket());

    try (SocketChannel taker = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      taker.connect(UnixDomainSocketAddress.of(handOff.socketPath()));
      taker.write(ByteBuffer.allocate(2 * Long.BYTES).putLong(5).putLong(5).flip());

      assertThat(readToEnd(taker)).as("bytes received before the end").isZero();
    }
    DescriptorHandOff.take(group, handOff.socketPath(), 5, WAIT).close();
  }

  @Test
  void aTakerWaitsNoLongerThanItsTimeout() throws Exception {
    Path silentPath = directory.resolve("silent");
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(silentPath));
      Duration timeout = Duration.ofMillis(200);
      long before = System.nanoTime();

      assertThatThrownBy(() -> DescriptorHandOff.take(group, silentPath, 9, timeout))
          .isInstanceOf(IOException.class)
          .hasMessage("no socket 9 from " + silentPath + " within " + timeout);
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(timeout);
    }
  }

  @Test
  void listeningWhereNoSocketCanBeBoundFails() {
    Path nowhere = directory.resolve("missing").resolve("hand-off");

    assertThatThrownBy(() -> DescriptorHandOff.listen(group, nowhere))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot listen on " + nowhere);
  }

  private Path handOffPath() {
    return directory.resolve("hand-off");
  }

  private Socket connectClient() throws IOException {
    Socket client = new Socket();
    opened.add(client);
    client.connect(listening.localAddress(), (int) WAIT.toMillis());
    client.setSoTimeout((int) WAIT.toMillis());
    return client;
  }

  private Channel acceptedSocket() throws InterruptedException {
    Channel socket = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(socket).as("an accepted socket").isNotNull();
    return socket;
  }

  private static void write(FileDescriptor descriptor, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(descriptor.write(buffer, 0, bytes.length)).isEqualTo(bytes.length);
  }

  /** Reads until the peer closes; returns how many bytes came. */
  private static int readToEnd(SocketChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    int total = 0;
    for (int n = channel.read(buffer); n != -1; n = channel.read(buffer)) {
      total += n;
      buffer.clear();
    }
    return total;
  }
}
