package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Clients of one uppercase-echo server for tests: opens {@link EchoClient}s and raw sockets whose
 * every wait is bounded by a timeout, closes them all in {@link #close()}, reads replies with
 * failure messages that say what was missing after how long, and restates the protocol ({@link
 * #expectedEcho}) independently of the transform the servers use.
 *
 * <p>{@code EchoServerContract} is built on it; any other test of an echo server may use it too:
 *
 * <pre>{@code
 * try (EchoSockets sockets = new EchoSockets(server.address(), Duration.ofSeconds(10))) {
 *   assertThat(sockets.connect().exchange("hello")).isEqualTo("HELLO");
 * }
 * }</pre>
 *
 * <p>Thread-safe: sockets may be opened from several threads; each socket is used by one.
 */
public final class EchoSockets implements AutoCloseable {

  /** The shortest time {@link #quietAfter} watches a client for a reply that must not come. */
  public static final long MIN_QUIET_MILLIS = 200;

  private final InetSocketAddress address;
  private final Duration timeout;
  private final Queue<AutoCloseable> opened = new ConcurrentLinkedQueue<>();

  /**
   * Sockets to the server at {@code address}; {@code timeout} bounds every connect and every read.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public EchoSockets(InetSocketAddress address, Duration timeout) {
    this.address = Objects.requireNonNull(address, "address");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** The server's address. */
  public InetSocketAddress address() {
    return address;
  }

  /** The bound of every connect and read. */
  public Duration timeout() {
    return timeout;
  }

  /** Connects an {@link EchoClient} that {@link #close()} closes. */
  public EchoClient connect() throws IOException {
    return track(EchoClient.connect(address, timeout, timeout));
  }

  /** Opens a raw socket, with Nagle off and reads bounded by the timeout, closed by close(). */
  public Socket openSocket() throws IOException {
    Socket socket = track(new Socket());
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(timeoutMillis());
    socket.connect(address, timeoutMillis());
    return socket;
  }

  /** Has {@link #close()} close {@code closeable} too; returns it. */
  public <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  /**
   * Closes every client and socket opened or tracked here, quietly: a connection already broken is
   * gone, which is all closing wanted.
   */
  @Override
  public void close() {
    AutoCloseable closeable;
    while ((closeable = opened.poll()) != null) {
      AbstractEchoServer.closeQuietly(closeable);
    }
  }

  /**
   * Checks a connection limit that is reached: a new client's bytes get no reply within {@code
   * quiet}, and get it once {@code leaving}, a client being served, closes its connection.
   *
   * @throws AssertionError if the new client is served while the limit is reached, or not served
   *     within the timeout after {@code leaving} left
   */
  public void assertANewClientWaitsUntil(EchoClient leaving, Duration quiet) throws IOException {
    Socket waiting = openSocket();
    write(waiting, "waiting");
    assertNoReplyWithin(waiting, quiet, "a client beyond the reached limit");
    leaving.close();
    assertThat(
            new String(
                readExactly(waiting.getInputStream(), 7, "the waiting client's reply"),
                StandardCharsets.UTF_8))
        .isEqualTo("WAITING");
  }

  /**
   * Checks that nothing comes back on {@code socket} for {@code quiet}: neither a byte nor the end
   * of the stream. The socket stays usable, with reads bounded by the timeout again, so the reply
   * that comes later can be read from it.
   *
   * @param who names the client in the failure message
   * @throws AssertionError if a byte or the end of the stream arrives within {@code quiet}
   */
  public void assertNoReplyWithin(Socket socket, Duration quiet, String who) throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, quiet.toMillis())));
    try {
      int b = socket.getInputStream().read();
      throw new AssertionError(
          who
              + " was "
              + (b < 0 ? "disconnected" : "served (read byte " + b + ")")
              + " within "
              + describe(quiet));
    } catch (SocketTimeoutException expected) {
      // Nothing came: a socket stays usable after a read timeout, and the byte is still to come.
    } finally {
      socket.setSoTimeout(timeoutMillis());
    }
  }

  /**
   * How long to watch a client that must not be served yet, given {@code slowestServed}, the
   * slowest time measured in the same run for a client that was served — from its connect to its
   * reply: ten times that, and at least {@value #MIN_QUIET_MILLIS} ms.
   *
   * <p>Why that is enough: a server that wrongly serves the watched client serves it about as fast
   * as it served the others, so it would have to become ten times slower at that very moment to
   * pass. A correct server cannot fail for any slowness of the machine, since waiting longer only
   * confirms the silence.
   */
  public static Duration quietAfter(Duration slowestServed) {
    Duration tenTimes = slowestServed.multipliedBy(10);
    Duration floor = Duration.ofMillis(MIN_QUIET_MILLIS);
    return tenTimes.compareTo(floor) > 0 ? tenTimes : floor;
  }

  /**
   * Keeps {@code client} talking for twice {@code idleTimeout}, an exchange every tenth of it, so
   * that a server with that idle timeout must not take the connection for idle: only a stall of the
   * whole machine for a tenth of the timeout between two exchanges could make it look so. Blocks
   * the calling thread throughout; fails if a reply is not the echo.
   *
   * @throws IOException if an exchange fails, for example because the server closed the connection
   * @throws InterruptedException if interrupted between two exchanges
   */
  public static void keepTalkingThrough(EchoClient client, Duration idleTimeout)
      throws IOException, InterruptedException {
    long until = System.nanoTime() + 2 * idleTimeout.toNanos();
    while (System.nanoTime() < until) {
      assertThat(client.exchange("still here")).isEqualTo("STILL HERE");
      Thread.sleep(idleTimeout.dividedBy(10));
    }
  }

  /** Sends 32 KiB, checks the first KiB of the reply, then resets with the rest unread. */
  public void resetMidStream(Socket socket) throws IOException {
    byte[] request = randomBinary(32 * 1024, socket.getLocalPort());
    socket.getOutputStream().write(request);
    byte[] head = readExactly(socket.getInputStream(), 1024, "the start of the reply");
    assertEchoedAs(Arrays.copyOf(expectedEcho(request), 1024), head, "the start of the reply");
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /**
   * Reads exactly {@code length} bytes, failing with a message naming {@code what} if the server
   * closes the connection first or sends nothing for the timeout.
   */
  public byte[] readExactly(InputStream in, int length, String what) throws IOException {
    byte[] reply = new byte[length];
    int received = 0;
    try {
      while (received < length) {
        int n = in.read(reply, received, length - received);
        if (n < 0) {
          throw new AssertionError(
              "the server closed the connection after "
                  + received
                  + " of "
                  + length
                  + " bytes of "
                  + what);
        }
        received += n;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no reply byte within "
              + describe(timeout)
              + " after "
              + received
              + " of "
              + length
              + " bytes of "
              + what,
          e);
    }
    return reply;
  }

  /**
   * Reads until the server closes the connection, failing with a message naming {@code what} if it
   * does not within the timeout of a read.
   */
  public byte[] readToEnd(Socket socket, String what) throws IOException {
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      int n;
      while ((n = socket.getInputStream().read(chunk)) >= 0) {
        reply.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server did not close the connection within "
              + describe(timeout)
              + " "
              + what
              + " ("
              + reply.size()
              + " bytes received)",
          e);
    }
    return reply.toByteArray();
  }

  /** Writes {@code text} as UTF-8. */
  public static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The protocol restated, independently of the transform the servers use: ASCII {@code a}–{@code
   * z} become {@code A}–{@code Z}, every other byte stays.
   */
  public static byte[] expectedEcho(byte[] request) {
    byte[] reply = new byte[request.length];
    for (int i = 0; i < request.length; i++) {
      byte b = request[i];
      reply[i] = b >= 'a' && b <= 'z' ? (byte) (b & ~0x20) : b;
    }
    return reply;
  }

  /** Asserts that {@code reply} is the echo of {@code request}. */
  public static void assertEchoed(byte[] request, byte[] reply) {
    assertEchoedAs(expectedEcho(request), reply, "reply");
  }

  /** Compares byte for byte and names the first difference instead of printing megabytes. */
  public static void assertEchoedAs(byte[] expected, byte[] reply, String what) {
    int length = Math.min(expected.length, reply.length);
    for (int i = 0; i < length; i++) {
      if (expected[i] != reply[i]) {
        fail(
            "%s differs at byte %d of %d: expected 0x%02x, got 0x%02x",
            what, i, expected.length, expected[i] & 0xff, reply[i] & 0xff);
      }
    }
    assertThat(reply.length).as("%s length", what).isEqualTo(expected.length);
  }

  /** Random bytes from a fixed seed, starting with every byte value 0x00-0xFF in shuffled order. */
  public static byte[] randomBinary(int length, long seed) {
    Random random = new Random(seed);
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    List<Byte> everyValue = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      everyValue.add((byte) i);
    }
    Collections.shuffle(everyValue, random);
    for (int i = 0; i < Math.min(256, length); i++) {
      bytes[i] = everyValue.get(i);
    }
    return bytes;
  }

  /** {@code first} followed by {@code second}. */
  public static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** "10 s" or "300 ms" rather than Duration's "PT10S". */
  public static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private int timeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }
}
