package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.echo.UppercaseEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal echo model for the serve command's tests: a virtual thread per connection. It claims
 * {@code --workers} and {@code --idle-timeout} and records the settings it was given instead of
 * honouring them, and it records whether its server was closed.
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
  public Set<Option> supportedOptions() {
    return Set.of(Option.WORKERS, Option.IDLE_TIMEOUT);
  }

  @Override
  public EchoServer create(EchoServerSettings settings) {
    this.settings.set(settings.requireSupported(name(), supportedOptions()));
    Server created = new Server();
    server.set(created);
    return created;
  }

  static final class Server extends AbstractEchoServer {
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    @Override
    protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
      ServerSocket socket = new ServerSocket();
      listener = socket;
      socket.bind(endpoint);
      ThreadFactory threads = threadFactory(Thread.ofVirtual().name("loopback-", 1));
      threads.newThread(() -> accept(socket, threads)).start();
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void accept(ServerSocket socket, ThreadFactory threads) {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          connections().opened();
          live.add(connection);
          threads.newThread(() -> serve(connection)).start();
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
        live.remove(connection);
        connections().closed();
      }
    }

    @Override
    protected void release() {
      closeQuietly(listener);
      live.forEach(AbstractEchoServer::closeQuietly);
    }

    boolean closed() {
      return isClosed();
    }
  }
}
