package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that sends 64 MiB and does not read makes the server stop reading from it: the server
 * holds at most one buffer's worth of that client's bytes, the rest stays in the kernel's socket
 * buffers and the client's write blocks. Once the client reads, every byte comes back intact.
 *
 * <p>A server that buffered without limit would read far more than the bound asserted here (it
 * would swallow all 64 MiB) and never pause the connection, so the test would fail on it.
 */
@Timeout(60)
class BackpressureTest {

  private static final int SENT = 64 << 20;
  private static final int BUFFER = 4096;
  private static final int CLIENT_RECEIVE_BUFFER = 64 << 10;

  /** What the server may have read: its buffer plus what the kernel holds on the reply's path. */
  private static final long MOST_READ = 8 << 20;

  record Model(String name, Supplier<EchoServer> server) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(new Model("selector", () -> new SelectorEchoServer(1, BUFFER))),
        Arguments.of(new Model("async", () -> new AsyncEchoServer(2, BUFFER))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aClientThatNeverReadsIsNoLongerReadFrom(Model model) throws Exception {
    byte[] request = new byte[SENT];
    new Random(7).nextBytes(request);
    try (EchoServer server = model.server().get()) {
      server.start(0);
      Socket client = new Socket();
      IoStatistics statistics = ServerStatistics.of(server);
      client.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
      client.connect(server.address());
      CompletableFuture<Void> writer = writeInThread(client, request);
      try {
        await("the server pauses the connection")
            .atMost(Duration.ofSeconds(20))
            .until(() -> statistics.pausedConnections() == 1);

        assertThat(statistics.bufferedBytes()).isBetween(1L, (long) BUFFER);
        assertThat(statistics.bytesReceived()).isLessThanOrEqualTo(MOST_READ);
        assertThat(writer).as("the client's 64 MiB write").isNotDone();

        byte[] reply = readExactly(client.getInputStream(), SENT);
        writer.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals(reply, expectedEcho(request)))
            .as("the reply, after the client started reading")
            .isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> statistics.pausedConnections() == 0);
        assertThat(statistics.bufferedBytes()).isZero();
      } finally {
        client.close();
        writer.handle((ignored, e) -> null).get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A client that resets its connection while its reply waits takes the waiting bytes with it: the
   * server drops them (received, never sent, not buffered), resumes nothing, and gives back every
   * buffer the connection held.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aClientThatLeavesWhileItsReplyWaitsLeavesNothingBuffered(Model model) throws Exception {
    try (EchoServer server = model.server().get()) {
      server.start(0);
      IoStatistics statistics = ServerStatistics.of(server);
      Socket client = new Socket();
      CompletableFuture<Void> writer = pausedClient(server, client, statistics);
      try {
        client.setSoLinger(true, 0);
        client.close();

        await("the connection to end")
            .atMost(Duration.ofSeconds(10))
            .until(() -> server.activeConnections() == 0);
        assertThat(statistics.bytesSent())
            .as("bytes sent, of those received")
            .isLessThan(statistics.bytesReceived());
        assertNothingLeftBehind(statistics);
      } finally {
        client.close();
        writer.handle((ignored, e) -> null).get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Closing the server while a reply waits drops it as a client's leaving does. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void closingTheServerWhileAReplyWaitsLeavesNothingBuffered(Model model) throws Exception {
    EchoServer server = model.server().get();
    IoStatistics statistics;
    Socket client = new Socket();
    CompletableFuture<Void> writer;
    try (server) {
      server.start(0);
      statistics = ServerStatistics.of(server);
      writer = pausedClient(server, client, statistics);
    }
    try {
      assertThat(server.activeConnections()).as("live connections").isZero();
      assertNothingLeftBehind(statistics);
    } finally {
      client.close();
      writer.handle((ignored, e) -> null).get(10, TimeUnit.SECONDS);
    }
  }

  /** A dropped reply leaves no byte buffered, no connection paused and no buffer held. */
  private static void assertNothingLeftBehind(IoStatistics statistics) {
    assertThat(statistics.bufferedBytes()).as("bytes buffered").isZero();
    assertThat(statistics.pausedConnections()).as("paused connections").isZero();
    assertThat(statistics.bufferBytesHeld()).as("buffer bytes held").isZero();
  }

  /**
   * Connects {@code client} with a small receive buffer, starts writing 16 MiB that it never reads,
   * and returns the writer once the server has paused the connection.
   */
  private static CompletableFuture<Void> pausedClient(
      EchoServer server, Socket client, IoStatistics statistics) throws IOException {
    byte[] request = new byte[16 << 20];
    new Random(13).nextBytes(request);
    client.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
    client.connect(server.address());
    CompletableFuture<Void> writer = writeInThread(client, request);
    await("the server pauses the connection")
        .atMost(Duration.ofSeconds(20))
        .until(() -> statistics.pausedConnections() == 1);
    return writer;
  }

  private static CompletableFuture<Void> writeInThread(Socket client, byte[] request) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("never-reading-writer")
        .start(
            () -> {
              try {
                OutputStream out = client.getOutputStream();
                out.write(request);
                done.complete(null);
              } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }

  private static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] bytes = new byte[length];
    int received = 0;
    while (received < length) {
      int n = in.read(bytes, received, length - received);
      if (n < 0) {
        throw new IOException("the server closed after " + received + " bytes");
      }
      received += n;
    }
    return bytes;
  }

  private static byte[] expectedEcho(byte[] request) {
    byte[] reply = request.clone();
    for (int i = 0; i < reply.length; i++) {
      if (reply[i] >= 'a' && reply[i] <= 'z') {
        reply[i] = (byte) (reply[i] - 32);
      }
    }
    return reply;
  }
}
