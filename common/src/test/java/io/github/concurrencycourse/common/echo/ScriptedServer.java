package io.github.concurrencycourse.common.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection server on 127.0.0.1 that plays a script, so a client test can make the server
 * misbehave on purpose. The script's outcome (or exception) is available through {@link
 * #outcome()}; closing stops the server and waits for its thread.
 */
final class ScriptedServer implements AutoCloseable {

  /** What the server does with the one connection it accepts. */
  @FunctionalInterface
  interface Script {
    void play(Socket connection) throws Exception;
  }

  private final ServerSocket listener;
  private final Thread thread;
  private final CompletableFuture<Void> outcome = new CompletableFuture<>();

  ScriptedServer(Script script) throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    thread =
        Thread.ofPlatform()
            .name("scripted-server")
            .start(
                () -> {
                  try (Socket connection = listener.accept()) {
                    script.play(connection);
                    outcome.complete(null);
                  } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                  }
                });
  }

  /** The uppercase echo, written the seed's way: read up to 1024 bytes, send them back. */
  static void echo(Socket connection) throws IOException {
    byte[] buffer = new byte[1024];
    int n;
    while ((n = connection.getInputStream().read(buffer)) != -1) {
      UppercaseEcho.upperCaseInPlace(buffer, 0, n);
      connection.getOutputStream().write(buffer, 0, n);
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  CompletableFuture<Void> outcome() {
    return outcome;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
