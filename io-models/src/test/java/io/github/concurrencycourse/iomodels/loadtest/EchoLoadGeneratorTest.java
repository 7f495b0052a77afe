package io.github.concurrencycourse.iomodels.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.echo.UppercaseEcho;
import io.github.concurrencycourse.iomodels.BlockingEchoServer;
import io.github.concurrencycourse.iomodels.SelectorEchoServer;
import io.github.concurrencycourse.iomodels.loadtest.EchoLoadGenerator.Load;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EchoLoadGeneratorTest {

  private static final Duration STALL = Duration.ofSeconds(5);
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final Duration SHORT_RUN = Duration.ofMillis(300);
  private static final Load SMALL = new Load(64, 1);

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  @Test
  void countsVerifiedRepliesOfEveryConnection() throws Exception {
    SelectorEchoServer server = closeLater(new SelectorEchoServer());
    InetSocketAddress address = server.start(0);
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(address, 20, STALL, LIMIT));

    assertThat(load.connections()).isEqualTo(20);
    assertThat(load.answerEach(STALL, LIMIT)).isEqualTo(20);
    EchoLoadGenerator.Result result = load.run(new Load(100, 1), SHORT_RUN);

    assertThat(result.connections()).isEqualTo(20);
    assertThat(result.requests()).isPositive();
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.requests());
    assertThat(result.errors()).isZero();
    assertThat(result.mismatches()).isZero();
    assertThat(result.servedAll()).isTrue();
    // Each reply is 100 bytes echoed: the server received at least that many per counted reply.
    assertThat(server.statistics().bytesReceived()).isGreaterThanOrEqualTo(result.requests() * 100);
  }

  @Test
  void keepsTheAskedNumberOfMessagesInFlight() throws Exception {
    int inFlight = 4;
    int size = 256;
    // Replies only after it holds all four messages: with fewer in flight nothing ever comes back.
    RawServer server =
        closeLater(
            RawServer.start(
                (in, out) -> {
                  byte[] batch = in.readNBytes(inFlight * size);
                  while (batch.length == inFlight * size) {
                    out.write(UppercaseEcho.upperCased(batch));
                    batch = in.readNBytes(inFlight * size);
                  }
                }));
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(server.address(), 1, STALL, LIMIT));

    EchoLoadGenerator.Result result = load.run(new Load(size, inFlight), SHORT_RUN);

    assertThat(result.load().inFlight()).isEqualTo(inFlight);
    assertThat(result.requests()).isGreaterThanOrEqualTo(inFlight);
    assertThat(result.errors()).isZero();
    assertThat(result.mismatches()).isZero();
  }

  @Test
  void oneMessageInFlightGetsNoReplyFromAServerThatWaitsForFour() throws Exception {
    RawServer server =
        closeLater(
            RawServer.start(
                (in, out) -> {
                  byte[] batch = in.readNBytes(4 * 256);
                  out.write(UppercaseEcho.upperCased(batch));
                }));
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(server.address(), 1, STALL, LIMIT));

    assertThat(load.run(new Load(256, 1), SHORT_RUN).requests()).isZero();
  }

  @Test
  void bytesThatBreakTheProtocolAreCountedAndDropTheConnection() throws Exception {
    RawServer plainEcho = closeLater(RawServer.start((in, out) -> in.transferTo(out)));
    EchoLoadGenerator load =
        closeLater(EchoLoadGenerator.open(plainEcho.address(), 3, STALL, LIMIT));

    EchoLoadGenerator.Result result = load.run(SMALL, SHORT_RUN);

    assertThat(result.mismatches()).isPositive();
    assertThat(result.errors()).isEqualTo(3);
    assertThat(result.requests()).isZero();
    assertThat(load.connections()).isZero();
  }

  @Test
  void aConnectionTheServerClosesCountsAsAnError() throws Exception {
    RawServer closing = closeLater(RawServer.start((in, out) -> {}));
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(closing.address(), 5, STALL, LIMIT));

    EchoLoadGenerator.Result result = load.run(SMALL, SHORT_RUN);

    assertThat(result.errors()).isEqualTo(5);
    assertThat(result.servedAll()).isFalse();
    assertThat(load.connections()).isZero();
  }

  @Test
  void aServerThatServesOneClientAtATimeAnswersOneOfThree() throws Exception {
    BlockingEchoServer server = closeLater(new BlockingEchoServer());
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(server.start(0), 3, STALL, LIMIT));

    assertThat(load.connections()).isEqualTo(3);
    assertThat(load.answerEach(Duration.ofMillis(500), LIMIT)).isEqualTo(1);
  }

  @Test
  void connectingGivesUpWhenTheServerStallsNotWhenItIsMerelySlow() throws Exception {
    // A listen queue of one that nobody drains: the kernel completes a handshake or two, then
    // drops the rest of the SYNs, and those connects would wait for minutes.
    ServerSocket full = closeLater(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
    long started = System.nanoTime();

    EchoLoadGenerator load =
        closeLater(EchoLoadGenerator.open(address, 200, Duration.ofMillis(500), LIMIT));

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(load.connections()).isBetween(1, 199);
    // At least the stall it waits out; far from the minutes the dropped connects would wait,
    // however busy the machine.
    assertThat(took).isBetween(Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  @Test
  void theLimitBoundsAWaitThatKeepsProgressing() throws Exception {
    Object oneAtATime = new Object();
    // Answers one ping every 50 ms, in turn: never stalls, but 100 connections take 5 s.
    RawServer slow =
        closeLater(
            RawServer.start(
                (in, out) -> {
                  int ping = in.read();
                  synchronized (oneAtATime) {
                    try {
                      Thread.sleep(50);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    out.write(UppercaseEcho.upperCase((byte) ping));
                  }
                  in.transferTo(OutputStream.nullOutputStream());
                }));
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(slow.address(), 100, STALL, LIMIT));

    int answered = load.answerEach(Duration.ofSeconds(2), Duration.ofMillis(600));

    // Counted, not timed: the server answers one ping at a time, 50 ms each, so all 100 would take
    // 5 s, and only a wait cut short by the limit returns before the last is answered.
    assertThat(answered).isBetween(1, 99);
  }

  @Test
  void anotherLoadNeedsTheConnectionsDrainedFirst() throws Exception {
    SelectorEchoServer server = closeLater(new SelectorEchoServer());
    EchoLoadGenerator load = closeLater(EchoLoadGenerator.open(server.start(0), 4, STALL, LIMIT));
    load.run(SMALL, SHORT_RUN);

    assertThatThrownBy(() -> load.run(new Load(1024, 2), SHORT_RUN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("drain");
    assertThat(load.drain(STALL, LIMIT)).isTrue();
    EchoLoadGenerator.Result larger = load.run(new Load(1024, 2), SHORT_RUN);

    assertThat(larger.requests()).isPositive();
    assertThat(larger.mismatches()).isZero();
    assertThat(larger.errors()).isZero();
    assertThat(larger.megabytesPerSecond()).isEqualTo(larger.requestsPerSecond() * 1024 / 1e6);
  }

  @Test
  void aRefusedConnectionIsReported() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    assertThatThrownBy(() -> EchoLoadGenerator.open(nobody, 2, STALL, LIMIT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connection 1 of 2 failed");
  }

  @Test
  void rejectsNumbersThatAreNotPositive() {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    assertThatThrownBy(() -> EchoLoadGenerator.open(address, 0, STALL, LIMIT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EchoLoadGenerator.open(address, 1, Duration.ZERO, LIMIT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Load(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Load(64, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What a {@link RawServer} does with one connection's streams. */
  @FunctionalInterface
  interface Conversation {
    void talk(InputStream in, OutputStream out) throws IOException;
  }

  /**
   * A hand-written server whose behaviour a test chooses: one virtual thread per connection runs
   * the conversation, then closes the connection.
   */
  static final class RawServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<Socket> accepted = new ArrayList<>();

    private RawServer(ServerSocket socket, Conversation conversation) {
      this.socket = socket;
      this.acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try {
                        Socket connection = socket.accept();
                        synchronized (accepted) {
                          accepted.add(connection);
                        }
                        Thread.ofVirtual().start(() -> serve(connection, conversation));
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
    }

    static RawServer start(Conversation conversation) throws IOException {
      return new RawServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), conversation);
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static void serve(Socket connection, Conversation conversation) {
      try (connection) {
        conversation.talk(connection.getInputStream(), connection.getOutputStream());
      } catch (IOException e) {
        // The test closed the connection or the generator dropped it; either ends the talk.
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (accepted) {
        for (Socket connection : accepted) {
          connection.close();
        }
      }
      try {
        acceptor.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the acceptor ended", e);
      }
    }
  }
}
