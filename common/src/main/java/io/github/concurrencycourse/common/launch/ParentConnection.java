package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM's connection to its parent's {@link ChannelServer}: opened by {@link WorkerMain}
 * before the task runs, when the parent used {@link WorkerLauncher#startConnected}, and handed over
 * once to {@link MessageChannel#toParent}. Thread-safe.
 */
final class ParentConnection {

  /** The connected socket and where it leads. */
  record Connected(SocketChannel socket, Path socketPath) {}

  /** Empty before the connection and after it was taken. */
  private static final AtomicReference<Connected> WAITING = new AtomicReference<>();

  /** Whether this JVM connected to its parent at all, to tell the two errors of claim apart. */
  private static volatile boolean connected;

  private ParentConnection() {}

  /** Connects to the parent's socket; called once, by {@link WorkerMain}. */
  static void connect(Path socketPath) throws IOException {
    SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      socket.connect(UnixDomainSocketAddress.of(socketPath));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    WAITING.set(new Connected(socket, socketPath));
    connected = true;
  }

  /**
   * Takes the connection.
   *
   * @throws IllegalStateException if there is none, or it was taken already
   */
  static Connected claim() {
    Connected parent = WAITING.getAndSet(null);
    if (parent != null) {
      return parent;
    }
    throw new IllegalStateException(
        connected
            ? "the channel to the parent was taken already; MessageChannel.toParent gives it once"
            : "this JVM has no channel to its parent: start it with WorkerLauncher.startConnected");
  }
}
