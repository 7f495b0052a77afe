package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.echo.ConnectionCounter;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal echo model for the serve command's tests: a virtual thread per connection. It records
 * the settings it was given and whether its server was closed.
 */
final class LoopbackEchoModel implements EchoServerModel {

  final AtomicReference<EchoServerSettings> settings = new AtomicReference<>();
  final AtomicReference<Server> server = new AtomicReference<>();

  @Override
  public String name() {
    return "loopback";
  }

  @Override
  public String description() {
    return "a virtual thread per connection, for tests";
  }

  @Override
  public EchoServer create(EchoServerSettings settings) {
    this.settings.set(settings);
    Server created = new Server();
    server.set(created);
    return created;
  }

  static final class Server implements EchoServer {
    private final ConnectionCounter counter = new ConnectionCounter();
    private volatile ServerSocket listener;
    private volatile Thread acceptor;

    @Override
    public InetSocketAddress start(InetSocketAddress endpoint) throws IOException {
      ServerSocket socket = new ServerSocket();
      socket.bind(endpoint);
      listener = socket;
      acceptor = Thread.ofVirtual().name("loopback-acceptor").start(this::accept);
      return address();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket connection = listener.accept();
          counter.opened();
          Thread.ofVirtual().start(() -> serve(connection));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection;
          InputStream in = connection.getInputStream();
          OutputStream out = connection.getOutputStream()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          UppercaseEcho.upperCaseInPlace(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // The client went away; only this connection ends.
      } finally {
        counter.closed();
      }
    }

    @Override
    public InetSocketAddress address() {
      return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public int activeConnections() {
      return counter.active();
    }

    @Override
    public long totalConnections() {
      return counter.total();
    }

    boolean isClosed() {
      return listener.isClosed();
    }

    @Override
    public void close() {
      try {
        listener.close();
        acceptor.join();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
