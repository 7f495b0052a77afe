package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Listens on a Unix domain socket and accepts {@link MessageChannel}s: the serving side of the
 * channel, for a process that many peers connect to (a queue host) or that waits for its child
 * ({@link WorkerLauncher#startConnected} uses one per child).
 *
 * <pre>{@code
 * try (ChannelServer<Reply, Request> server = ChannelServer.open(Reply.class, Request.class)) {
 *   launcher.start(Client.class, server.socketPath().toString());
 *   try (MessageChannel<Reply, Request> client = server.accept()) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p><b>Where.</b> {@link #open} binds a socket in a new directory {@code channel-<pid>-<random>}
 * of {@code java.io.tmpdir} that only this user may enter ({@code rwx------} where the file system
 * has POSIX permissions), so no other user of the machine can connect; {@link #bind} binds the path
 * it is given, which must not exist and whose directory decides who may connect. Unix limits a
 * socket's path to about 100 bytes.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting (a thread blocked in {@link #accept()} throws
 * {@link java.nio.channels.AsynchronousCloseException}) and deletes the socket file, and the
 * directory that {@code open} created. Channels accepted before stay open: each is closed on its
 * own.
 *
 * <p>Thread-safe. Interrupting a thread blocked in {@code accept} closes the server, as it closes
 * any {@link ServerSocketChannel}; stop a thread that accepts by closing the server instead.
 *
 * @param <O> the type of the messages the accepted channels send
 * @param <I> the type of the messages the accepted channels receive
 */
public final class ChannelServer<O, I> implements AutoCloseable {

  /** The socket's name inside the directory of {@link #open}. */
  private static final String SOCKET_NAME = "socket";

  private final ServerSocketChannel server;
  private final Path socketPath;
  private final Path ownedDirectory;
  private final Class<O> outgoing;
  private final Class<I> incoming;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChannelServer(
      ServerSocketChannel server,
      Path socketPath,
      Path ownedDirectory,
      Class<O> outgoing,
      Class<I> incoming) {
    this.server = server;
    this.socketPath = socketPath;
    this.ownedDirectory = ownedDirectory;
    this.outgoing = outgoing;
    this.incoming = incoming;
  }

  /**
   * Listens in a new private temporary directory, which {@link #close()} deletes.
   *
   * @param outgoing the type of the messages the accepted channels send
   * @param incoming the type of the messages the accepted channels receive
   * @throws IOException if the directory or the socket cannot be created
   */
  public static <O, I> ChannelServer<O, I> open(Class<O> outgoing, Class<I> incoming)
      throws IOException {
    Objects.requireNonNull(outgoing, "outgoing");
    Objects.requireNonNull(incoming, "incoming");
    Path directory =
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? Files.createTempDirectory(
                directoryPrefix(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            : Files.createTempDirectory(directoryPrefix());
    try {
      return listen(directory.resolve(SOCKET_NAME), directory, outgoing, incoming);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(directory);
      throw e;
    }
  }

  /**
   * Listens on the socket file {@code socketPath}, which {@link #close()} deletes.
   *
   * @param outgoing the type of the messages the accepted channels send
   * @param incoming the type of the messages the accepted channels receive
   * @throws java.net.BindException if the file exists
   * @throws IOException if the socket cannot be created, for example because its directory does not
   *     exist or the path is too long
   */
  public static <O, I> ChannelServer<O, I> bind(
      Path socketPath, Class<O> outgoing, Class<I> incoming) throws IOException {
    Objects.requireNonNull(socketPath, "socketPath");
    Objects.requireNonNull(outgoing, "outgoing");
    Objects.requireNonNull(incoming, "incoming");
    return listen(socketPath, null, outgoing, incoming);
  }

  private static <O, I> ChannelServer<O, I> listen(
      Path socketPath, Path ownedDirectory, Class<O> outgoing, Class<I> incoming)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socketPath));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new ChannelServer<>(server, socketPath, ownedDirectory, outgoing, incoming);
  }

  /**
   * The start of the name of every directory {@link #open} creates in this JVM: {@code
   * channel-<pid>-}, so that a leftover names the process that left it.
   */
  static String directoryPrefix() {
    return "channel-" + ProcessHandle.current().pid() + "-";
  }

  /** The socket file that peers {@linkplain MessageChannel#connect connect} to. */
  public Path socketPath() {
    return socketPath;
  }

  /**
   * Waits for a peer to connect and returns the channel to it.
   *
   * @throws java.nio.channels.AsynchronousCloseException if the server is closed while this waits
   * @throws java.nio.channels.ClosedChannelException if the server is closed
   * @throws IOException if accepting fails
   */
  public MessageChannel<O, I> accept() throws IOException {
    return MessageChannel.over(server.accept(), socketPath, outgoing, incoming);
  }

  /**
   * Waits for {@code child}, started to connect here, to connect: at most {@code timeout}, and no
   * longer than the child lives. For {@link WorkerLauncher#startConnected}, the server's only user.
   *
   * @throws WorkerStartException if the child exits, or the time runs out, before it connects
   * @throws InterruptedException if interrupted while waiting
   */
  MessageChannel<O, I> acceptFrom(WorkerProcess child, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    server.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      server.register(selector, SelectionKey.OP_ACCEPT);
      // The exit wakes the wait below at once; a closed selector ignores a late wake-up.
      CompletableFuture<Void> wakeOnExit = child.onExit().thenRun(selector::wakeup);
      try {
        return awaitChild(child, selector, deadline, timeout);
      } finally {
        wakeOnExit.cancel(false);
      }
    }
  }

  private MessageChannel<O, I> awaitChild(
      WorkerProcess child, Selector selector, long deadline, Duration timeout)
      throws IOException, InterruptedException {
    while (true) {
      SocketChannel accepted = server.accept();
      if (accepted == null && !child.isAlive()) {
        // A child that connected and then exited quickly is still in the backlog.
        accepted = server.accept();
        if (accepted == null) {
          throw exitedBeforeConnecting(child);
        }
      }
      if (accepted != null) {
        accepted.configureBlocking(true);
        return MessageChannel.over(accepted, socketPath, outgoing, incoming);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new WorkerStartException(
            "worker '"
                + child.name()
                + "' (pid "
                + child.pid()
                + ") did not connect to its parent within "
                + timeout
                + " and was killed",
            child.name(),
            child.pid(),
            OptionalInt.empty());
      }
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for " + child.name());
      }
    }
  }

  private static WorkerStartException exitedBeforeConnecting(WorkerProcess child) {
    int exitCode = child.exitValue();
    return new WorkerStartException(
        "worker '"
            + child.name()
            + "' (pid "
            + child.pid()
            + ") exited with code "
            + exitCode
            + " before connecting to its parent; its standard error says why",
        child.name(),
        child.pid(),
        OptionalInt.of(exitCode));
  }

  /**
   * Stops accepting and deletes the socket file, and the directory {@link #open} created.
   * Idempotent.
   *
   * @throws IOException if the socket file or the directory cannot be deleted
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.close();
    Files.deleteIfExists(socketPath);
    if (ownedDirectory != null) {
      Files.deleteIfExists(ownedDirectory);
    }
  }

  @Override
  public String toString() {
    return "ChannelServer[" + socketPath + "]";
  }
}
