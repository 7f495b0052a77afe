package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every uppercase-echo server of the course must show, written once and run against
 * each server model — the way Netty's testsuite runs one socket test against every transport.
 *
 * <p>A server's test extends this class and says how to build the server:
 *
 * <pre>{@code
 * class VirtualThreadEchoServerTest extends EchoServerContract {
 *   @Override
 *   protected EchoServer newServer() {
 *     return new VirtualThreadEchoServer();
 *   }
 * }
 * }</pre>
 *
 * <p>The tests come in four {@link Nested} groups, which JUnit runs for every subclass: {@link
 * Protocol} (the bytes that come back), {@link ConcurrencyAndLimits} (many clients, queueing, the
 * connection limit, counts), {@link Faults} (EOF and reset) and {@link LifeCycle} (start, failed
 * start, close).
 *
 * <p>Before each test a new server is started on {@code 127.0.0.1} port 0; after each test the
 * server and every client the test opened through {@link #sockets()} are closed, also when the test
 * failed. The socket helpers live in {@link EchoSockets}, usable by any test. Every test is bounded
 * by a {@link Timeout}, and every wait inside it by {@link #replyTimeout()}, so a server that hangs
 * fails the test instead of hanging the build. The expected replies are computed by this class on
 * its own ({@link #expectedEcho}), not by the transform the servers use, so a mistake in that
 * transform is caught too.
 *
 * <p>Hooks a subclass may override: {@link #concurrentClients()} for a server that serves fewer
 * clients at once than 100 (the seed's pool of 3 threads), {@link #newServerWithConnectionLimit}
 * for a server that takes a connection limit, {@link #replyTimeout()} for a server that is slow to
 * take a connection (one that starts a process per client), and {@link #isSharedThread(String)} for
 * threads a library keeps for the whole JVM. {@link #server()} and {@link #serverAddress()} let a
 * subclass add tests of its own.
 *
 * <p>Instances are created by JUnit, one per test method (with one instance of the test's group);
 * not for use from several threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class EchoServerContract {

  private static final InetAddress LOOPBACK = loopback();

  private static final String SEED_TEXT = "服务器已经启动.... hello 客户端端开... bye";

  private static final int MEBIBYTE = 1 << 20;

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  /** The connection limit the limit test gives a server: the seed's pool of three. */
  private static final int LIMIT = 3;

  private EchoServer server;
  private InetSocketAddress address;
  private EchoSockets sockets;

  /** Creates this contract; JUnit calls it once per test method. */
  protected EchoServerContract() {}

  // ---- hooks ---------------------------------------------------------------------------------

  /**
   * Creates a new server that has not been started. Called before every test, and a second time by
   * the tests that need two servers or a fresh one.
   */
  protected abstract EchoServer newServer() throws Exception;

  /**
   * How many clients the server serves at the same time: the connections it reads from and answers
   * concurrently, not a limit on the connections it accepts. 100 unless overridden; a server with a
   * fixed pool returns the pool's size.
   */
  protected int concurrentClients() {
    return 100;
  }

  /**
   * The longest the contract waits for any one thing: a connection, a reply byte, a count to reach
   * its value, a thread to end. 10 seconds unless overridden.
   */
  protected Duration replyTimeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * Creates a new, unstarted server like {@link #newServer()}'s, but holding at most {@code limit}
   * connections at once ({@code EchoServerSettings.maxConnections}) and serving each of those at
   * the same time; empty if the server takes no connection limit, which skips the test of the
   * limit. Empty unless overridden: the test of every server whose model supports {@code
   * --max-connections} overrides it, with the settings that make {@code limit} the limit of the
   * whole server (one worker process for a server that applies the limit per worker, at least
   * {@code limit} workers for a pool).
   */
  protected Optional<EchoServer> newServerWithConnectionLimit(int limit) throws Exception {
    return Optional.empty();
  }

  /**
   * Whether a thread with this name belongs to a library that shares it with the whole JVM and
   * keeps it after the server closes (so it is no leak). The JVM's own threads are already left
   * out; see {@link ThreadSnapshot}. No thread unless overridden.
   */
  protected boolean isSharedThread(String threadName) {
    return false;
  }

  /** The server under test, started before each test. */
  protected final EchoServer server() {
    return server;
  }

  /** The address the server under test is bound to. */
  protected final InetSocketAddress serverAddress() {
    return address;
  }

  // ---- fixture -------------------------------------------------------------------------------

  @BeforeEach
  protected final void startServer() throws Exception {
    assertThat(concurrentClients()).as("concurrentClients()").isPositive();
    server = newServer();
    address = server.start(new InetSocketAddress(LOOPBACK, 0));
    sockets = new EchoSockets(address, replyTimeout());
  }

  @AfterEach
  protected final void closeEverything() throws Exception {
    try {
      if (sockets != null) {
        sockets.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The uppercase echo itself: which bytes come back, however the stream is split. */
  @Nested
  public final class Protocol {

    /** Created by JUnit for each test of the group. */
    public Protocol() {}

    /** ASCII letters come back upper-cased; digits, spaces and punctuation come back unchanged. */
    @Test
    public final void echoesAsciiInUpperCase() throws Exception {
      EchoClient client = connect();

      assertThat(client.exchange("hello, world 123 !?")).isEqualTo("HELLO, WORLD 123 !?");

      byte[] printable = new byte[127 - 32];
      for (int i = 0; i < printable.length; i++) {
        printable[i] = (byte) (32 + i);
      }
      EchoSockets.assertEchoed(printable, client.exchange(printable));
    }

    /**
     * The seed's own Chinese messages pass through byte for byte; the ASCII around them is raised.
     */
    @Test
    public final void echoesTheSeedsChineseTextUnchangedAndItsAsciiInUpperCase() throws Exception {
      EchoClient client = connect();

      assertThat(client.exchange(SEED_TEXT)).isEqualTo("服务器已经启动.... HELLO 客户端端开... BYE");
    }

    /**
     * Random binary with every byte value, 0x00 to 0xFF, comes back exactly as the protocol says.
     */
    @Test
    public final void echoesRandomBinaryWithEveryByteValue() throws Exception {
      byte[] request = EchoSockets.randomBinary(256 * 1024, 2);

      EchoSockets.assertEchoed(request, connect().exchange(request));
    }

    /**
     * Each byte is answered on its own: the client writes one byte, waits for its reply, then
     * writes the next, so the stream is split at every byte boundary, inside multi-byte UTF-8
     * characters too. A server that waits for a full buffer, a line or a whole character fails
     * here.
     */
    @Test
    public final void echoesWritesSplitAtEveryByteBoundary() throws Exception {
      byte[] request = EchoSockets.concat(SEED_TEXT.getBytes(UTF8), new byte[] {0, -1, 'z'});
      Socket socket = openSocket();
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();

      byte[] reply = new byte[request.length];
      for (int i = 0; i < request.length; i++) {
        out.write(request[i]);
        out.flush();
        int b;
        try {
          b = in.read();
        } catch (SocketTimeoutException e) {
          throw new AssertionError(
              "no reply to byte "
                  + i
                  + " within "
                  + EchoSockets.describe(replyTimeout())
                  + " when sent on its own",
              e);
        }
        assertThat(b).as("reply to byte %d: the server closed the connection", i).isNotNegative();
        reply[i] = (byte) b;
      }
      EchoSockets.assertEchoed(request, reply);
    }

    /**
     * 1 MiB bursts, each handed to the socket in one write, come back intact. A writer thread sends
     * while the test reads, so a server with bounded buffers is never blocked by the test itself.
     */
    @Test
    public final void echoesOneMebibyteBurstsWhileTheReplyIsReadConcurrently() throws Exception {
      int bursts = 4;
      byte[] burst = EchoSockets.randomBinary(MEBIBYTE, 3);
      Socket socket = openSocket();

      CompletableFuture<Void> writer =
          runInThread(
              "burst-writer",
              () -> {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < bursts; i++) {
                  out.write(burst);
                }
              });
      try {
        byte[] expected = expectedEcho(burst);
        InputStream in = socket.getInputStream();
        for (int i = 0; i < bursts; i++) {
          byte[] reply =
              sockets.readExactly(in, burst.length, "burst " + (i + 1) + " of " + bursts);
          EchoSockets.assertEchoedAs(expected, reply, "burst " + (i + 1) + " of " + bursts);
        }
        writer.get(replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        socket.close();
        writer.handle((ignored, e) -> null).get(replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Many clients: served at once up to the server's concurrency, queued beyond it, held back beyond
   * a connection limit, counted.
   */
  @Nested
  public final class ConcurrencyAndLimits {

    /** Created by JUnit for each test of the group. */
    public ConcurrencyAndLimits() {}

    /**
     * {@link #concurrentClients()} clients connect, then all exchange their own payload at once and
     * keep their connections open until every one has its reply: the server serves them at the same
     * time, answers each with its own bytes, and counts them all as live.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    public final void servesConcurrentClientsAtOnce() throws Exception {
      int clients = concurrentClients();
      long waitMillis = replyTimeout().toMillis();
      CountDownLatch connected = new CountDownLatch(clients);
      CountDownLatch served = new CountDownLatch(clients);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<Void>> results = new ArrayList<>();

      try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
        try {
          for (int i = 0; i < clients; i++) {
            int id = i;
            results.add(
                pool.submit(
                    () -> {
                      byte[] payload =
                          EchoSockets.concat(
                              ("client " + id + " 有客户端连接上来了.... ").getBytes(UTF8),
                              EchoSockets.randomBinary(4096, 100 + id));
                      EchoClient client = connect();
                      connected.countDown();
                      if (!connected.await(waitMillis, TimeUnit.MILLISECONDS)) {
                        throw new AssertionError(
                            "only " + (clients - connected.getCount()) + " clients connected");
                      }
                      byte[] reply = client.exchange(payload);
                      EchoSockets.assertEchoedAs(expectedEcho(payload), reply, "client " + id);
                      served.countDown();
                      if (!release.await(waitMillis * 3, TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("client " + id + " was never released");
                      }
                      client.close();
                      return null;
                    }));
          }
          if (!served.await(waitMillis * 2, TimeUnit.MILLISECONDS)) {
            fail(
                "only %d of %d clients got their reply while all were connected; first failure: %s",
                clients - served.getCount(), clients, firstFailure(results));
          }
          awaitActiveConnections(clients);
        } finally {
          release.countDown();
        }
        for (Future<Void> result : results) {
          try {
            result.get(waitMillis, TimeUnit.MILLISECONDS);
          } catch (ExecutionException e) {
            throw new AssertionError("a client failed: " + e.getCause(), e.getCause());
          }
        }
      }
      awaitActiveConnections(0);
      awaitTotalConnections(clients);
    }

    /**
     * A client beyond {@link #concurrentClients()} is accepted and waits its turn: once one of the
     * clients being served leaves, it gets its reply. (A server without a limit serves it at once.)
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    public final void queuesAClientBeyondItsConcurrencyUntilAnotherLeaves() throws Exception {
      List<EchoClient> served = new ArrayList<>();
      for (int i = 0; i < concurrentClients(); i++) {
        EchoClient client = connect();
        assertThat(client.exchange("served " + i)).isEqualTo("SERVED " + i);
        served.add(client);
      }
      EchoClient waiting = connect();
      waiting.send("waiting");

      served.get(0).close();

      assertThat(new String(waiting.read(7), UTF8)).isEqualTo("WAITING");
    }

    /**
     * A server limited to three connections (the seed's pool) serves three, then holds the next
     * client unserved and uncounted — no reply, no end of stream, not in the counts — until one of
     * them leaves, and then serves it. Skipped for a server that takes no limit (see {@link
     * #newServerWithConnectionLimit}).
     *
     * <p>How long "unserved" is watched: {@link EchoSockets#quietAfter}, ten times the slowest
     * round trip of the held clients, measured here; it says why that is enough.
     */
    @Test
    public final void holdsAClientBeyondTheConnectionLimitUnservedUntilAHeldOneLeaves()
        throws Exception {
      Optional<EchoServer> made = newServerWithConnectionLimit(LIMIT);
      assumeTrue(made.isPresent(), "this server takes no connection limit");
      try (EchoServer limited = made.get();
          EchoSockets clients =
              new EchoSockets(limited.start(new InetSocketAddress(LOOPBACK, 0)), replyTimeout())) {
        List<EchoClient> held = new ArrayList<>();
        long slowestNanos = 0;
        for (int i = 0; i < LIMIT; i++) {
          long start = System.nanoTime();
          EchoClient client = clients.connect();
          assertThat(client.exchange("held " + i)).isEqualTo("HELD " + i);
          slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
          held.add(client);
        }
        awaitCount("live connections", limited::activeConnections, LIMIT);
        awaitCount("total connections", limited::totalConnections, LIMIT);

        Socket newcomer = clients.openSocket();
        EchoSockets.write(newcomer, "newcomer");
        clients.assertNoReplyWithin(
            newcomer,
            EchoSockets.quietAfter(Duration.ofNanos(slowestNanos)),
            "a client beyond the limit of " + LIMIT + " connections");
        assertThat(limited.totalConnections())
            .as("connections taken while the limit of %d was reached", LIMIT)
            .isEqualTo(LIMIT);
        assertThat(limited.activeConnections())
            .as("live connections at the limit")
            .isEqualTo(LIMIT);

        held.get(0).close();

        assertThat(
                new String(
                    clients.readExactly(
                        newcomer.getInputStream(), 8, "the reply to the client held back"),
                    UTF8))
            .isEqualTo("NEWCOMER");
        awaitCount("total connections", limited::totalConnections, LIMIT + 1);
        awaitCount("live connections", limited::activeConnections, LIMIT);
      }
    }

    /** Each connection counts once in the total and as live until it ends. */
    @Test
    public final void countsEveryConnection() throws Exception {
      assertThat(server.activeConnections()).isZero();
      assertThat(server.totalConnections()).isZero();

      for (int i = 1; i <= 5; i++) {
        EchoClient client = connect();
        assertThat(client.exchange("ping " + i)).isEqualTo("PING " + i);
        awaitTotalConnections(i);
        awaitActiveConnections(1);
        client.close();
        awaitActiveConnections(0);
      }
      awaitTotalConnections(5);
    }
  }

  /** Clients that leave with an EOF or a reset end their own connection, never the server. */
  @Nested
  public final class Faults {

    /** Created by JUnit for each test of the group. */
    public Faults() {}

    /**
     * A client that closes its side (EOF) mid-stream gets back every byte it sent, then the server
     * closes that connection (the seed's server would loop for ever here). Another client,
     * connected all along, is not disturbed, and a new client is served.
     */
    @Test
    public final void clientEofMidStreamEndsOnlyThatConnection() throws Exception {
      EchoClient bystander = connect();
      assertThat(bystander.exchange("bystander")).isEqualTo("BYSTANDER");

      Socket quitter = openSocket();
      byte[] firstPart = "first part 服务器已经启动....".getBytes(UTF8);
      quitter.getOutputStream().write(firstPart);
      assertThat(sockets.readExactly(quitter.getInputStream(), firstPart.length, "the first part"))
          .isEqualTo("FIRST PART 服务器已经启动....".getBytes(UTF8));
      EchoSockets.write(quitter, "last words 客户端端开...");
      quitter.shutdownOutput();

      assertThat(new String(sockets.readToEnd(quitter, "after the client's EOF"), UTF8))
          .as("the rest of the reply, then the end of the stream")
          .isEqualTo("LAST WORDS 客户端端开...");
      awaitActiveConnections(1);

      assertThat(bystander.exchange("still here")).isEqualTo("STILL HERE");
      assertThat(connect().exchange("newcomer")).isEqualTo("NEWCOMER");
      awaitTotalConnections(3);
    }

    /**
     * A client that resets its connection (SO_LINGER 0) while the server is echoing to it ends that
     * connection only: the live count drops back, another client is not disturbed, and a new client
     * is served.
     */
    @Test
    public final void clientResetMidStreamEndsOnlyThatConnection() throws Exception {
      EchoClient bystander = connect();
      assertThat(bystander.exchange("bystander")).isEqualTo("BYSTANDER");

      sockets.resetMidStream(openSocket());
      awaitActiveConnections(1);

      assertThat(bystander.exchange("still here")).isEqualTo("STILL HERE");
      assertThat(connect().exchange("newcomer")).isEqualTo("NEWCOMER");
      awaitTotalConnections(3);
    }

    /** Ten clients that leave with an EOF and ten that leave with a reset do not wear it down. */
    @Test
    public final void keepsServingAfterRepeatedFaults() throws Exception {
      for (int round = 0; round < 10; round++) {
        Socket quitter = openSocket();
        EchoSockets.write(quitter, "bye " + round);
        quitter.shutdownOutput();
        assertThat(new String(sockets.readToEnd(quitter, "after the client's EOF"), UTF8))
            .isEqualTo("BYE " + round);
        sockets.resetMidStream(openSocket());
      }

      assertThat(connect().exchange("still serving")).isEqualTo("STILL SERVING");
      awaitActiveConnections(1);
      awaitTotalConnections(21);
    }
  }

  /** Start, the bound address, a failed start and close, as {@link EchoServer} specifies them. */
  @Nested
  public final class LifeCycle {

    /** Created by JUnit for each test of the group. */
    public LifeCycle() {}

    /**
     * {@code start} returns the bound address with the port the system picked, as does address().
     */
    @Test
    public final void reportsTheBoundAddress() throws Exception {
      assertThat(address.getAddress()).isEqualTo(LOOPBACK);
      assertThat(address.getPort()).isPositive();
      assertThat(server.address()).isEqualTo(address);
      try (Socket socket = new Socket()) {
        socket.connect(address, (int) replyTimeout().toMillis());
      }
    }

    /** A running server refuses a second start and keeps serving. */
    @Test
    public final void rejectsASecondStart() throws Exception {
      assertThat(catchThrowable(() -> server.start(new InetSocketAddress(LOOPBACK, 0))))
          .as("what a second start of a running server throws")
          .isInstanceOf(IllegalStateException.class);

      assertThat(connect().exchange("still serving")).isEqualTo("STILL SERVING");
    }

    /**
     * A server started on a port another server holds fails with a {@link BindException}, is closed
     * from then on, holds no thread even before its {@code close()}, and leaves the first server
     * serving.
     */
    @Test
    public final void failsToStartOnABusyPortAndLeavesNothingBehind() throws Exception {
      ThreadSnapshot before = ThreadSnapshot.take();
      EchoServer second = newServer();
      try {
        assertThat(catchThrowable(() -> second.start(address)))
            .as("what a start on port %d, which another server holds, throws", address.getPort())
            .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> second.start(new InetSocketAddress(LOOPBACK, 0)))
            .as("a server whose start failed is closed")
            .isInstanceOf(IllegalStateException.class);
        awaitNoThreadStartedSince(before);
      } finally {
        second.close();
      }

      assertThat(connect().exchange("still serving")).isEqualTo("STILL SERVING");
    }

    /**
     * Closing twice is harmless; a closed server cannot be started again, and neither can one
     * closed before it was ever started.
     */
    @Test
    public final void closeIsIdempotentAndFinal() throws Exception {
      server.close();
      server.close();

      assertThat(server.activeConnections()).isZero();
      assertThat(server.address()).isEqualTo(address);
      assertThatThrownBy(() -> server.start(new InetSocketAddress(LOOPBACK, 0)))
          .isInstanceOf(IllegalStateException.class);

      EchoServer neverStarted = newServer();
      neverStarted.close();
      assertThatThrownBy(() -> neverStarted.start(new InetSocketAddress(LOOPBACK, 0)))
          .isInstanceOf(IllegalStateException.class);
    }

    /** Closing the server ends every live connection: each client sees the end of the stream. */
    @Test
    public final void closeEndsEveryLiveConnection() throws Exception {
      List<Socket> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Socket socket = openSocket();
        EchoSockets.write(socket, "hello " + i);
        assertThat(
                new String(sockets.readExactly(socket.getInputStream(), 7, "the greeting"), UTF8))
            .isEqualTo("HELLO " + i);
        open.add(socket);
      }

      server.close();

      assertThat(server.activeConnections()).isZero();
      for (Socket socket : open) {
        try {
          assertThat(socket.getInputStream().read())
              .as("what a client reads after the server closed")
              .isEqualTo(-1);
        } catch (SocketTimeoutException e) {
          throw new AssertionError(
              "a connection was still open "
                  + EchoSockets.describe(replyTimeout())
                  + " after the server closed",
              e);
        } catch (SocketException reset) {
          // A reset ends the connection as surely as an end of stream does.
        }
      }
    }

    /** After {@code close} the port is free: a new listener binds it at once. */
    @Test
    public final void closeFreesThePort() throws Exception {
      connect().exchange("hello");

      server.close();

      try (ServerSocket rebound = new ServerSocket()) {
        // As the seed's SO_REUSEADDR: a closed connection in TIME_WAIT may hold the port, a
        // listener may not.
        rebound.setReuseAddress(true);
        rebound.bind(address);
        assertThat(rebound.getLocalPort()).isEqualTo(address.getPort());
      }
    }

    /**
     * {@code close} ends every thread and process the server started: those that accepted, those
     * that served connections still open when it closed, and those that served finished ones.
     */
    @Test
    public final void closeEndsEveryThreadAndProcessTheServerStarted() throws Exception {
      ThreadSnapshot before = ThreadSnapshot.take();
      EchoServer second = newServer();
      try {
        InetSocketAddress secondAddress = second.start(new InetSocketAddress(LOOPBACK, 0));
        try (EchoClient finished =
            EchoClient.connect(secondAddress, replyTimeout(), replyTimeout())) {
          assertThat(finished.exchange("finished")).isEqualTo("FINISHED");
        }
        for (int i = 0; i < 3; i++) {
          EchoClient open =
              sockets.track(EchoClient.connect(secondAddress, replyTimeout(), replyTimeout()));
          assertThat(open.exchange("open " + i)).isEqualTo("OPEN " + i);
        }
      } finally {
        second.close();
      }

      awaitNoThreadStartedSince(before);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * The protocol restated, independently of the transform the servers use: ASCII {@code a}–{@code
   * z} become {@code A}–{@code Z}, every other byte stays.
   */
  protected static byte[] expectedEcho(byte[] request) {
    return EchoSockets.expectedEcho(request);
  }

  /** The clients and sockets of the current test, closed after it. */
  protected final EchoSockets sockets() {
    return sockets;
  }

  private EchoClient connect() throws IOException {
    return sockets.connect();
  }

  private Socket openSocket() throws IOException {
    return sockets.openSocket();
  }

  private void awaitActiveConnections(int expected) {
    await("live connections")
        .atMost(replyTimeout())
        .untilAsserted(
            () ->
                assertThat(server.activeConnections())
                    .as("live connections (total so far %d)", server.totalConnections())
                    .isEqualTo(expected));
  }

  private void awaitCount(String what, Supplier<? extends Number> count, long expected) {
    await(what)
        .atMost(replyTimeout())
        .untilAsserted(() -> assertThat(count.get().longValue()).as(what).isEqualTo(expected));
  }

  private void awaitTotalConnections(long expected) {
    await("total connections")
        .atMost(replyTimeout())
        .untilAsserted(() -> assertThat(server.totalConnections()).isEqualTo(expected));
  }

  private void awaitNoThreadStartedSince(ThreadSnapshot before) {
    await("threads and processes the server started to end")
        .atMost(replyTimeout())
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(before.startedSince(this::isSharedThread))
                    .as("threads and processes still alive after close()")
                    .isEmpty());
  }

  /** What the first failed client died of, for the failure message. */
  private static String firstFailure(List<Future<Void>> results) {
    for (Future<Void> result : results) {
      if (result.isDone()) {
        try {
          result.get();
        } catch (ExecutionException e) {
          return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }
    }
    return "none yet: the others are still waiting for their replies";
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static CompletableFuture<Void> runInThread(String name, IoAction action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform()
        .name(name)
        .start(
            () -> {
              try {
                action.run();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            });
    return done;
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 is a valid address", e);
    }
  }
}
