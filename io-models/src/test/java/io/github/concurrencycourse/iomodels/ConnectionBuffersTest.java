package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The buffers of the selector and asynchronous servers: a connection takes a large buffer while a
 * large message needs it, holds no more than one while its client does not read, gives it back once
 * idle, and echoing does not allocate per message.
 */
@Timeout(60)
class ConnectionBuffersTest {

  private static final int LARGE = SelectorEchoServer.DEFAULT_BUFFER_SIZE;

  /**
   * A model, and what one of its connections holds while it waits for a message: nothing for the
   * selector, whose loop reads into a buffer of its own, the small buffer of the pending read for
   * the asynchronous server.
   */
  record Model(String name, Supplier<EchoServer> server, int idleHolding, String threadPrefix) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(new Model("selector", SelectorEchoServer::new, 0, "selector-echo-")),
        Arguments.of(
            new Model(
                "async", AsyncEchoServer::new, AsyncEchoServer.IDLE_BUFFER_SIZE, "async-echo-")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aConnectionHoldsALargeBufferOnlyWhileItNeedsOne(Model model) throws Exception {
    try (EchoServer server = model.server().get()) {
      server.start(0);
      IoStatistics statistics = ServerStatistics.of(server);
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          Socket client = new Socket();
          idle.add(client);
          client.connect(server.address());
          assertThat(echo(client, "ping".getBytes(StandardCharsets.US_ASCII))).isEqualTo("PING");
        }
        await("ten idle connections hold their idle share")
            .atMost(Duration.ofSeconds(10))
            .until(() -> statistics.bufferBytesHeld() == 10L * model.idleHolding());

        // A client sends far more than the kernel's buffers hold and does not read yet: the
        // server's reply waits, and the connection takes one large buffer and never a second.
        Socket stubborn = new Socket();
        stubborn.setReceiveBufferSize(64 << 10);
        stubborn.connect(server.address());
        byte[] request = new byte[16 << 20];
        new Random(11).nextBytes(request);
        CompletableFuture<Void> writer = writeInThread(stubborn, request);
        long idleShare = 10L * model.idleHolding();
        try {
          await("the stubborn connection's reply waits after it took a large buffer")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      statistics.pausedConnections() == 1
                          && statistics.peakBufferBytesHeld() - idleShare >= LARGE);
          assertThat(writer).as("the stubborn client's write").isNotDone();

          byte[] reply = stubborn.getInputStream().readNBytes(request.length);
          writer.get(10, TimeUnit.SECONDS);
          assertThat(Arrays.equals(reply, UppercaseEcho.upperCased(request))).isTrue();
          // The high-water mark covers the whole 16 MiB, not just the moments a test could look.
          assertThat(statistics.peakBufferBytesHeld() - idleShare)
              .as("the most the stubborn connection held")
              .isLessThanOrEqualTo(LARGE + model.idleHolding());
        } finally {
          stubborn.close();
          writer.handle((ignored, e) -> null).get(10, TimeUnit.SECONDS);
        }
        await("the large buffer is given back once the connection is gone")
            .atMost(Duration.ofSeconds(10))
            .until(() -> statistics.bufferBytesHeld() == 10L * model.idleHolding());

        // A message larger than the idle share on an idle connection: after the reply, the
        // connection holds its idle share again. (Shorter than a large buffer: a read that fills
        // the large buffer exactly makes the asynchronous server keep it for the next read.)
        byte[] large = new byte[LARGE / 2 + 7];
        Arrays.fill(large, (byte) 'q');
        Socket first = idle.get(0);
        first.getOutputStream().write(large);
        assertThat(first.getInputStream().readNBytes(large.length))
            .isEqualTo(UppercaseEcho.upperCased(large));
        await("the connection gives the large buffer back once its reply is out")
            .atMost(Duration.ofSeconds(10))
            .until(() -> statistics.bufferBytesHeld() == 10L * model.idleHolding());
      } finally {
        for (Socket client : idle) {
          client.close();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void echoingLargeMessagesAllocatesNothingPerMessageOnceWarm(Model model) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] message = new byte[LARGE];
    new Random(3).nextBytes(message);
    byte[] expected = UppercaseEcho.upperCased(message);
    try (EchoServer server = model.server().get();
        Socket client = new Socket()) {
      server.start(0);
      client.connect(server.address());
      long[] serverThreads = threadIds(model.threadPrefix());
      assertThat(serverThreads).isNotEmpty();
      for (int i = 0; i < 2_000; i++) {
        assertThat(roundTrip(client, message)).isEqualTo(expected);
      }
      long before = sum(threads.getThreadAllocatedBytes(serverThreads));
      int messages = 1_000;
      for (int i = 0; i < messages; i++) {
        assertThat(roundTrip(client, message)).isEqualTo(expected);
      }
      long allocated = sum(threads.getThreadAllocatedBytes(serverThreads)) - before;

      // Not a buffer per message (64 KiB), nor a fraction of one: at most a few small objects
      // inside the JDK's channel code (the asynchronous channel's boxed byte counts, for one).
      assertThat(allocated / messages).as("bytes allocated per message").isLessThan(512);
    }
  }

  private static long[] threadIds(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .mapToLong(Thread::threadId)
        .toArray();
  }

  private static long sum(long[] values) {
    return Arrays.stream(values).sum();
  }

  private static String echo(Socket client, byte[] request) throws IOException {
    return new String(roundTrip(client, request), StandardCharsets.US_ASCII);
  }

  private static byte[] roundTrip(Socket client, byte[] request) throws IOException {
    OutputStream out = client.getOutputStream();
    InputStream in = client.getInputStream();
    out.write(request);
    byte[] reply = in.readNBytes(request.length);
    if (reply.length < request.length) {
      throw new IOException("the server closed after " + reply.length + " bytes");
    }
    return reply;
  }

  private static CompletableFuture<Void> writeInThread(Socket client, byte[] request) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("stubborn-writer")
        .start(
            () -> {
              try {
                client.getOutputStream().write(request);
                done.complete(null);
              } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }
}
