package io.github.concurrencycourse.common.echo;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A blocking client of an uppercase-echo server: the Java form of the seed's client ({@code
 * client.send(cmd.encode('utf-8'))}, {@code client.recv(1024)}), with the timeouts and error
 * reports the seed leaves out.
 *
 * <p>Unlike the seed's single {@code recv(1024)}, {@link #exchange(String)} returns only once every
 * byte it sent has come back, however the network split the reply. It writes in slices and reads
 * the reply as it goes, keeping at most {@value #MAX_EXCHANGE_WINDOW} bytes (and never more than
 * half the client's receive buffer) unanswered. A client that wrote a large request whole before
 * reading would deadlock against a blocking server: the server stops reading while its reply cannot
 * be written, and the client stops reading while its request cannot be written. Here the unanswered
 * bytes always fit in the client's receive buffer, so the server's writes always complete. The
 * window spans several loopback segments because a window of one segment meets a server's Nagle
 * delay and the client's delayed acknowledgement on every round trip.
 *
 * <h2>Errors</h2>
 *
 * Every failure is an {@link IOException} whose message names the server and, for reads, how many
 * of the expected bytes arrived:
 *
 * <ul>
 *   <li>{@link ConnectException} — nobody listens at the address;
 *   <li>{@link SocketTimeoutException} — the connection was not established within the connect
 *       timeout, or no byte arrived within the read timeout;
 *   <li>{@link EOFException} — the server closed the connection before the expected bytes came;
 *   <li>{@link SocketException} — the connection was reset, or the client was closed.
 * </ul>
 *
 * After a failed read or write the connection's position in the stream is unknown: close the
 * client.
 *
 * <h2>Thread-safety</h2>
 *
 * Not thread-safe, with one exception that mirrors a socket's two streams: one thread may {@link
 * #send} while another {@link #read}s. {@link #close} and {@link #reset} may be called from any
 * thread and unblock a thread blocked in a read or write, which then fails with a {@code
 * SocketException}.
 */
public final class EchoClient implements AutoCloseable {

  /** The connect and read timeout of {@link #connect(InetSocketAddress)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The most bytes {@link #exchange(byte[])} leaves unanswered. */
  public static final int MAX_EXCHANGE_WINDOW = 256 * 1024;

  private static final int EXCHANGE_SLICE = 16 * 1024;

  /** Asked for before connecting; the system may grant less, and the window shrinks to match. */
  private static final int RECEIVE_BUFFER = 4 * MAX_EXCHANGE_WINDOW;

  private final Socket socket;
  private final InetSocketAddress server;
  private final Duration readTimeout;
  private final InputStream in;
  private final OutputStream out;
  private final int exchangeWindow;

  private EchoClient(Socket socket, InetSocketAddress server, Duration readTimeout)
      throws IOException {
    this.socket = socket;
    this.server = server;
    this.readTimeout = readTimeout;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.exchangeWindow =
        Math.max(EXCHANGE_SLICE, Math.min(MAX_EXCHANGE_WINDOW, socket.getReceiveBufferSize() / 2));
  }

  /**
   * Connects to {@code server} with {@link #DEFAULT_TIMEOUT} for connecting and for each read.
   *
   * @throws ConnectException if nobody listens at the address
   * @throws SocketTimeoutException if the connection is not established in time
   * @throws IOException if connecting fails for another reason
   */
  public static EchoClient connect(InetSocketAddress server) throws IOException {
    return connect(server, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
  }

  /**
   * Connects to {@code server}.
   *
   * @param connectTimeout how long to wait for the connection to be established
   * @param readTimeout how long each read waits for the next byte; it bounds silence, not the
   *     length of a reply that keeps arriving
   * @throws IllegalArgumentException if a timeout is not positive or longer than {@link
   *     Integer#MAX_VALUE} milliseconds
   * @throws ConnectException if nobody listens at the address
   * @throws SocketTimeoutException if the connection is not established in time
   * @throws IOException if connecting fails for another reason
   */
  public static EchoClient connect(
      InetSocketAddress server, Duration connectTimeout, Duration readTimeout) throws IOException {
    Objects.requireNonNull(server, "server");
    int connectMillis = millis(connectTimeout, "connect timeout");
    int readMillis = millis(readTimeout, "read timeout");
    Socket socket = new Socket();
    try {
      socket.setReceiveBufferSize(RECEIVE_BUFFER);
      // A short request goes out at once instead of waiting for the previous one's acknowledgement.
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(readMillis);
      socket.connect(server, connectMillis);
      return new EchoClient(socket, server, readTimeout);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw withCause(
          new SocketTimeoutException(
              "no answer from " + server + " within " + describe(connectTimeout)),
          e);
    } catch (ConnectException e) {
      socket.close();
      throw withCause(
          new ConnectException("cannot connect to " + server + ": " + e.getMessage()), e);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The server this client is connected to. */
  public InetSocketAddress serverAddress() {
    return server;
  }

  /** The client's own end of the connection. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Sends {@code text} encoded as UTF-8, as the seed's {@code cmd.encode('utf-8')} does. */
  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends every byte of {@code bytes}, blocking until the system has taken them all. */
  public void send(byte[] bytes) throws IOException {
    send(bytes, 0, bytes.length);
  }

  /**
   * Sends {@code length} bytes of {@code bytes} from {@code offset}, blocking until the system has
   * taken them all. It does not wait for a reply.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array
   * @throws SocketException if the connection was closed or reset, or the client was closed
   */
  public void send(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    try {
      out.write(bytes, offset, length);
    } catch (SocketException e) {
      throw withCause(
          new SocketException(
              "cannot send to " + server + ": " + e.getMessage() + describeClosed()),
          e);
    }
  }

  /**
   * Reads exactly {@code length} reply bytes.
   *
   * @throws IllegalArgumentException if {@code length} is negative
   * @throws SocketTimeoutException if no byte arrives within the read timeout
   * @throws EOFException if the server closes the connection first
   * @throws SocketException if the connection is reset or the client closed
   */
  public byte[] read(int length) throws IOException {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative, got " + length);
    }
    byte[] reply = new byte[length];
    int received = 0;
    while (received < length) {
      received += readSome(reply, received, length - received, length);
    }
    return reply;
  }

  /**
   * Reads until the server closes the connection and returns what came, for a client that has
   * {@linkplain #shutdownOutput() closed its side} and waits for the rest of its reply.
   *
   * @param maxLength the most bytes to accept
   * @throws IOException if more than {@code maxLength} bytes arrive, or as {@link #read(int)}
   *     except that the end of the stream is the normal outcome
   */
  public byte[] readToEnd(int maxLength) throws IOException {
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (true) {
      int n = readOrEnd(chunk, 0, chunk.length, -1, reply.size());
      if (n < 0) {
        return reply.toByteArray();
      }
      if (reply.size() + n > maxLength) {
        throw new IOException(
            server + " sent more than " + maxLength + " bytes before closing the connection");
      }
      reply.write(chunk, 0, n);
    }
  }

  /**
   * Sends {@code request} and returns the reply once every byte of it has come back. Large requests
   * are sent in slices while the reply is read (see the class description).
   *
   * @throws SocketTimeoutException if the reply stalls for longer than the read timeout
   * @throws EOFException if the server closes the connection before the whole reply came
   * @throws SocketException if the connection is reset or the client closed
   */
  public byte[] exchange(byte[] request) throws IOException {
    byte[] reply = new byte[request.length];
    int sent = 0;
    int received = 0;
    while (sent < request.length) {
      int slice = Math.min(EXCHANGE_SLICE, request.length - sent);
      while (sent + slice - received > exchangeWindow) {
        received += readSome(reply, received, sent - received, request.length);
      }
      send(request, sent, slice);
      sent += slice;
    }
    while (received < request.length) {
      received += readSome(reply, received, request.length - received, request.length);
    }
    return reply;
  }

  /**
   * Sends {@code text} as UTF-8 and returns the reply decoded as UTF-8, once every byte sent has
   * come back. The uppercase-echo transform keeps UTF-8 valid, so the reply decodes cleanly.
   *
   * @throws IOException as {@link #exchange(byte[])}
   */
  public String exchange(String text) throws IOException {
    return new String(exchange(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /**
   * Closes the client's sending side (a TCP half-close): the server sees the end of the stream,
   * while the client can still read the rest of its reply, for example with {@link
   * #readToEnd(int)}.
   */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Ends the connection abortively: the server gets a reset (RST) instead of an orderly end of
   * stream, as when a client process dies. Unsent and unread bytes are discarded. Idempotent, and
   * the client is closed afterwards.
   */
  public void reset() throws IOException {
    if (!socket.isClosed()) {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }

  /** Whether {@link #close} or {@link #reset} was called. */
  public boolean isClosed() {
    return socket.isClosed();
  }

  /** Closes the connection in an orderly way. Idempotent. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "EchoClient[" + socket.getLocalSocketAddress() + " -> " + server + "]";
  }

  /** Reads at least one byte into {@code buffer}; the end of the stream is an error here. */
  private int readSome(byte[] buffer, int offset, int length, int expected) throws IOException {
    int n = readOrEnd(buffer, offset, length, expected, offset);
    if (n < 0) {
      throw new EOFException(
          server + " closed the connection after " + offset + " of " + expected + " reply bytes");
    }
    return n;
  }

  /** One blocking read with the errors translated; -1 at the end of the stream. */
  private int readOrEnd(byte[] buffer, int offset, int length, int expected, int receivedSoFar)
      throws IOException {
    String progress =
        expected < 0
            ? receivedSoFar + " bytes received"
            : receivedSoFar + " of " + expected + " reply bytes received";
    try {
      return in.read(buffer, offset, length);
    } catch (SocketTimeoutException e) {
      throw withCause(
          new SocketTimeoutException(
              "no reply from "
                  + server
                  + " within "
                  + describe(readTimeout)
                  + " ("
                  + progress
                  + ")"),
          e);
    } catch (SocketException e) {
      throw withCause(
          new SocketException(
              "cannot read from "
                  + server
                  + ": "
                  + e.getMessage()
                  + " ("
                  + progress
                  + ")"
                  + describeClosed()),
          e);
    }
  }

  private String describeClosed() {
    return socket.isClosed() ? "; the client was closed" : "";
  }

  private static <E extends IOException> E withCause(E exception, IOException cause) {
    exception.initCause(cause);
    return exception;
  }

  /** "10 s" or "300 ms" rather than Duration's "PT10S". */
  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static int millis(Duration timeout, String what) {
    Objects.requireNonNull(timeout, what);
    if (!timeout.isPositive() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          what + " must be positive and at most " + Integer.MAX_VALUE + " ms, got " + timeout);
    }
    return (int) Math.max(1, timeout.toMillis());
  }
}
