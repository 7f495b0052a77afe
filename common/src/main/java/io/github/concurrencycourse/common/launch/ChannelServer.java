package io.github.concurrencycourse.common.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p><b>Accepting.</b> {@link #accept()} waits for the next peer; {@link #accept(Duration)} waits
 * at most the given time and throws {@link TimeoutException} when nobody came. Both respond to
 * interrupts with {@link InterruptedException} and leave the server listening: as a channel does,
 * the server waits in a {@link Selector} with its socket in non-blocking mode, so an interrupt
 * cannot close it. A virtual thread that waits there keeps its carrier thread, so accept on a
 * platform thread.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting (a thread waiting in {@code accept} throws
 * {@link ClosedChannelException}) and deletes the socket file, and the directory that {@code open}
 * created. Channels accepted before stay open: each is closed on its own.
 *
 * <p>Thread-safe.
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
  private final Selector acceptable;

  /** Held by the thread that waits for a peer. */
  private final ReentrantLock acceptLock = new ReentrantLock();

  private final AtomicBoolean closed = new AtomicBoolean();

  private ChannelServer(
      ServerSocketChannel server,
      Path socketPath,
      Path ownedDirectory,
      Class<O> outgoing,
      Class<I> incoming,
      Selector acceptable) {
    this.server = server;
    this.socketPath = socketPath;
    this.ownedDirectory = ownedDirectory;
    this.outgoing = outgoing;
    this.incoming = incoming;
    this.acceptable = acceptable;
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
    Selector acceptable = null;
    try {
      server.configureBlocking(false);
      acceptable = Selector.open();
      server.register(acceptable, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      if (acceptable != null) {
        acceptable.close();
      }
      server.close();
      Files.deleteIfExists(socketPath);
      throw e;
    }
    return new ChannelServer<>(server, socketPath, ownedDirectory, outgoing, incoming, acceptable);
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
   * @throws InterruptedException if interrupted while waiting; the server goes on listening
   * @throws ClosedChannelException if the server is closed, or closes while this waits
   * @throws IOException if accepting fails
   */
  public MessageChannel<O, I> accept() throws IOException, InterruptedException {
    return acceptBefore(false, 0, null);
  }

  /**
   * Waits up to {@code timeout} for a peer to connect, as {@link #accept()} does. The time is kept
   * to the millisecond.
   *
   * @throws TimeoutException if nobody connected within {@code timeout}
   */
  public MessageChannel<O, I> accept(Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    MessageChannel<O, I> accepted = acceptBefore(true, deadline(timeout), null);
    if (accepted == null) {
      throw new TimeoutException("nobody connected to " + socketPath + " within " + timeout);
    }
    return accepted;
  }

  /**
   * Waits for {@code child}, started to connect here, to connect: at most {@code timeout}, and no
   * longer than the child lives. For {@link WorkerLauncher#startConnected}.
   *
   * @throws WorkerStartException if the child exits, or the time runs out, before it connects
   * @throws InterruptedException if interrupted while waiting
   */
  MessageChannel<O, I> acceptFrom(WorkerProcess child, Duration timeout)
      throws IOException, InterruptedException {
    // The exit wakes the wait at once; a closed selector ignores a late wake-up.
    CompletableFuture<Void> wakeOnExit = child.onExit().thenRun(acceptable::wakeup);
    try {
      MessageChannel<O, I> accepted = acceptBefore(true, deadline(timeout), child);
      if (accepted == null) {
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
      return accepted;
    } finally {
      wakeOnExit.cancel(false);
    }
  }

  /**
   * Accepts a peer, waiting until {@code deadline} ({@link System#nanoTime()}) if {@code timed},
   * else for ever; and, when {@code child} is given, no longer than it lives.
   *
   * @return the channel, or {@code null} if the time ran out
   * @throws WorkerStartException if {@code child} exited without connecting
   */
  private MessageChannel<O, I> acceptBefore(boolean timed, long deadline, WorkerProcess child)
      throws IOException, InterruptedException {
    acceptLock.lockInterruptibly();
    try {
      while (true) {
        if (closed.get()) {
          throw new ClosedChannelException();
        }
        SocketChannel accepted = server.accept();
        if (accepted == null && child != null && !child.isAlive()) {
          // A child that connected and then exited quickly is still in the backlog.
          accepted = server.accept();
          if (accepted == null) {
            throw exitedBeforeConnecting(child);
          }
        }
        if (accepted != null) {
          return MessageChannel.over(accepted, socketPath, outgoing, incoming);
        }
        if (!SelectorWait.await(acceptable, timed, deadline, "accepting on", socketPath)) {
          return null;
        }
      }
    } finally {
      acceptLock.unlock();
    }
  }

  private static long deadline(Duration timeout) {
    long nanos;
    try {
      nanos = Math.max(0, timeout.toNanos());
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 2;
    }
    return System.nanoTime() + nanos;
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
    acceptable.wakeup();
    server.close();
    // Closed by the accept lock's holder, once no thread can be waiting in it.
    acceptLock.lock();
    try {
      acceptable.close();
    } finally {
      acceptLock.unlock();
    }
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
