package io.github.concurrencycourse.common.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A TCP server that speaks the uppercase-echo protocol (see the {@linkplain
 * io.github.concurrencycourse.common.echo package documentation}): every byte a client sends comes
 * back, ASCII {@code a}–{@code z} upper-cased.
 *
 * <p>Every server model of the course implements it — processes, a thread per connection, a bounded
 * pool, virtual threads, blocking, non-blocking, selector, asynchronous channels, Netty — and
 * passes the same {@code EchoServerContract} from the testkit module. A server goes through three
 * states, once each: <em>new</em> (constructed, holds nothing), <em>running</em> (after a
 * successful {@link #start}) and <em>closed</em> (after {@link #close} or a failed start). It is
 * started at most once; to serve again, create a new server.
 *
 * <h2>Connections</h2>
 *
 * <ul>
 *   <li>A server answers each byte without waiting for more (no framing) and serves each connection
 *       independently of the others, up to the number of connections its model can serve at once;
 *       connections beyond that wait their turn and are not refused.
 *   <li>When a client closes its side (EOF), the server sends back every byte received before the
 *       EOF and then closes the connection. When a client resets the connection or an I/O error
 *       occurs on it, the server closes that connection. Neither ends the server or disturbs other
 *       connections, and neither is reported as an error beyond a log line.
 * </ul>
 *
 * <h2>Counts</h2>
 *
 * A connection counts from the moment the server accepts it until the server has closed its socket.
 * {@link #totalConnections()} never decreases. The counts are for watching a server, not for
 * synchronising with it: a server whose connections live in other threads or other processes may
 * report an accept or a close a little after it happened, and callers that need a count to reach a
 * value wait for it with a timeout. After {@link #close} returns, {@link #activeConnections()} is
 * 0.
 *
 * <h2>Thread-safety</h2>
 *
 * All methods may be called from any thread. {@code start} and {@code close} may race: the server
 * then ends up closed, and {@code start} either fails or is undone by {@code close}.
 */
public interface EchoServer extends AutoCloseable {

  /** The port the seed's servers listen on: {@code server_xxx('localhost', 8080)}. */
  int SEED_PORT = 8080;

  /**
   * Binds {@code endpoint} and starts serving. Port 0 lets the system pick a free port; {@link
   * #address()} then tells which. When this method returns, the server accepts connections.
   *
   * @param endpoint the local address and port to listen on, for example {@code 127.0.0.1:0}
   * @return the address the server is bound to, with the actual port
   * @throws IllegalStateException if the server was already started or has been closed
   * @throws java.net.BindException if the address is in use or cannot be bound; the server then
   *     holds no port, thread or process and is closed
   * @throws IOException if starting fails for another reason; the server is then closed as above
   */
  InetSocketAddress start(InetSocketAddress endpoint) throws IOException;

  /**
   * Binds {@code port} on the loopback address and starts serving, as {@link
   * #start(InetSocketAddress)} does. The seed binds {@code localhost} too.
   */
  default InetSocketAddress start(int port) throws IOException {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * The address the server is bound to. After {@link #close} it still returns the address the
   * server was bound to, which is then free.
   *
   * @throws IllegalStateException if the server was never started successfully
   */
  InetSocketAddress address();

  /** The connections accepted and not yet closed by the server (see <i>Counts</i> above). */
  int activeConnections();

  /** The connections accepted since the server started; never decreases. */
  long totalConnections();

  /**
   * Stops the server: closes the listening socket, so the port is free to bind again; closes every
   * live connection; and returns once every thread and process the server started has ended.
   *
   * <p>Idempotent: a second call does nothing. Closing a server that was never started makes it
   * closed, so it can no longer be started. Throws no checked exception, so it fits
   * try-with-resources without a catch. If the calling thread is interrupted while waiting for the
   * server's threads, the port and connections are still released, the method returns early with
   * the interrupt status set, and the threads end on their own.
   */
  @Override
  void close();
}
