package io.github.concurrencycourse.netecho;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.netecho.ConnectionWorker.Serving;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's multi-process server taken literally (socket通信多用户同时操作(多进程方式)): the parent accepts each
 * connection and starts a new child JVM for it, {@code Process(target=talk, args=(conn,))}; the
 * child serves that one connection and exits when the client leaves.
 *
 * <p><b>Passing the socket.</b> A JVM cannot give an accepted socket to a process it starts: {@link
 * ProcessBuilder} passes a child no descriptor but its standard streams. So the parent offers the
 * socket on a Unix domain socket in a private directory ({@link DescriptorHandOff}), the child
 * connects there and receives the descriptor as {@code SCM_RIGHTS} ancillary data, and the parent
 * closes its own copy. The socket then lives in the child alone, which serves it with Netty's epoll
 * transport. Everything else travels over the one parent–child channel of {@link WorkerLauncher}:
 * the child reports there that it serves ({@link #children()}), and the parent closes its end to
 * tell the child to stop.
 *
 * <p><b>Counts.</b> A connection is alive from the moment the parent accepts it until its child JVM
 * has exited: the seed's 总的连接数 and alive的连接数 (the seed counts {@code is_alive()} children). When a
 * child JVM cannot be started, its connection is closed at once and ends like any other.
 *
 * <p><b>The cost.</b> Every connection starts a JVM: a few hundred milliseconds before the first
 * reply (the client's bytes wait in the socket meanwhile) and tens of megabytes of memory while it
 * lasts. {@link PreforkEchoServer} pays for its JVMs once, at start. Because each connection holds
 * a JVM, this server never runs unbounded: {@code maxConnections} of 0 stands for {@value
 * #DEFAULT_MAX_CONNECTIONS}. At the limit the parent stops accepting, so newcomers wait, connected,
 * in the kernel's listen backlog, and nobody is refused.
 *
 * <p><b>Settings</b> ({@link #OPTIONS}): the connection limit is the most child JVMs at once; the
 * idle timeout is applied by each child to its connection; the grace period is how long {@code
 * close()} lets live connections (and children still starting) go on after the listener has closed.
 * It has no fixed number of workers, so {@code workers} is refused.
 *
 * <p><b>Close</b> closes the listener (the port is free), waits out the grace period, then closes
 * each child's channel: the child closes its connection and exits. A child still starting is
 * killed, and so is one that has not exited within 10 seconds. {@code close} returns once every
 * child JVM and every thread of the parent has ended, and the private directory is deleted.
 * Children are daemons: they die with the parent even when it is killed, and the directory of a
 * parent that was killed is deleted by the next server that starts.
 *
 * <p>Linux only: on a system without Netty's epoll transport {@link #start} fails with {@link
 * UnsupportedOperationException}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ProcessPerConnectionEchoServer extends AbstractEchoServer {

  /** The model's name. */
  public static final String MODEL = "process-per-connection";

  /** The options this server honours. */
  public static final Set<Option> OPTIONS =
      Set.of(Option.MAX_CONNECTIONS, Option.IDLE_TIMEOUT, Option.GRACE_PERIOD);

  /** The most child JVMs at once when the settings give no connection limit. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  /** The start of the name of each server's private directory, before its JVM's pid. */
  private static final String DIRECTORY_PREFIX = "echo-" + MODEL + "-";

  /** What close allows a child to exit after its channel closed, before killing it. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  /** How long a child JVM may take to start and connect to the parent; a busy machine is slow. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A small JVM that starts quickly: one connection needs little heap, no C2 and no pooled buffers.
   * No perf-data file, which a killed child would leave in the temporary directory.
   */
  private static final List<String> CHILD_JVM_OPTIONS =
      List.of(
          "-Xms4m",
          "-Xmx32m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:-UsePerfData",
          "--enable-native-access=ALL-UNNAMED",
          "-Dio.netty.allocator.type=unpooled");

  private static final Logger log = LoggerFactory.getLogger(ProcessPerConnectionEchoServer.class);

  /**
   * Hears what the parent sees, from the parent's threads: for one connection the calls come in the
   * order {@code clientConnected}, {@code childServing} (unless the child never served), {@code
   * clientLeft}, from one thread. Must be thread-safe and quick, and must not throw.
   */
  public interface Listener {

    /** The parent accepted a client and starts its child JVM: the seed's 有客户端连接上来了..... */
    default void clientConnected(long connection, InetSocketAddress client) {}

    /** A child JVM took the connection's socket and serves it. */
    default void childServing(Child child) {}

    /**
     * The connection is over and its child JVM has exited: the seed's 客户端端开... (its own typo for
     * 客户端断开, "the client disconnected").
     *
     * @param pid the child JVM's pid, or -1 if none was started
     */
    default void clientLeft(long connection, long pid) {}

    /** The counts changed: the seed's 总的连接数:%s,alive的连接数:%s. */
    default void countsChanged(long total, int alive) {}

    /**
     * A listener that prints the seed's lines on {@code out}: 有客户端连接上来了.... when a client connects,
     * which child JVM serves it, and 客户端端开... when it has left.
     */
    static Listener seedLines(PrintStream out) {
      Objects.requireNonNull(out, "out");
      return new Listener() {
        @Override
        public void clientConnected(long connection, InetSocketAddress client) {
          out.println(
              "有客户端连接上来了.... connection "
                  + connection
                  + " from "
                  + client.getHostString()
                  + ":"
                  + client.getPort());
        }

        @Override
        public void childServing(Child child) {
          out.println(
              "connection " + child.connection() + " is served by child JVM pid " + child.pid());
        }

        @Override
        public void clientLeft(long connection, long pid) {
          out.println(
              "客户端端开... connection "
                  + connection
                  + (pid < 0 ? ", no child JVM started" : ", child JVM pid " + pid + " exited"));
        }
      };
    }
  }

  /**
   * A child JVM serving a connection.
   *
   * @param connection the connection's number, 1 for the server's first
   * @param pid the child JVM's process id
   * @param client the client's address, as the child sees it on the socket it received
   */
  public record Child(long connection, long pid, InetSocketAddress client) {}

  private final EchoServerSettings settings;
  private final int maxConnections;
  private final Listener listener;
  private final Acceptor acceptor = new Acceptor();

  /** The connections accepted whose children have not ended, by number. */
  private final ConcurrentMap<Long, Connection> live = new ConcurrentHashMap<>();

  /** Guards whether children may still start and serve, against the connections attaching. */
  private final Object lifecycle = new Object();

  @GuardedBy("lifecycle")
  private boolean stopping;

  /** Set once by start, before the listener accepts; read by every connection. */
  private volatile Path directory;

  private volatile EventLoopGroup loop;
  private volatile DescriptorHandOff handOff;
  private volatile WorkerLauncher launcher;
  private volatile Channel listening;

  /** A server with {@link EchoServerSettings#DEFAULTS} that tells nobody what it sees. */
  public ProcessPerConnectionEchoServer() {
    this(EchoServerSettings.DEFAULTS, new Listener() {});
  }

  /**
   * A server with these settings.
   *
   * @param listener hears connections come and go, and the counts change
   * @throws IllegalArgumentException if the settings give {@code workers} a value
   */
  public ProcessPerConnectionEchoServer(EchoServerSettings settings, Listener listener) {
    this.settings = settings.requireSupported(MODEL, OPTIONS);
    this.maxConnections =
        settings.maxConnections() == 0 ? DEFAULT_MAX_CONNECTIONS : settings.maxConnections();
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The settings this server was built with. */
  public EchoServerSettings settings() {
    return settings;
  }

  /** The most child JVMs, hence connections, at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * The children serving now, in connection order: those that have taken their socket and not
   * exited. Empty before start and after close.
   */
  public List<Child> children() {
    List<Child> serving = new ArrayList<>();
    for (Connection connection : live.values()) {
      connection.child().ifPresent(serving::add);
    }
    serving.sort(Comparator.comparingLong(Child::connection));
    return serving;
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    if (!Epoll.isAvailable()) {
      throw new UnsupportedOperationException(
          "the "
              + MODEL
              + " echo server hands each socket to its child JVM with Netty's epoll transport,"
              + " which this system lacks (Linux only): "
              + Epoll.unavailabilityCause());
    }
    Path created = privateDirectory();
    directory = created;
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1,
            threadFactory(new DefaultThreadFactory("echo-" + MODEL)),
            EpollIoHandler.newFactory());
    loop = group;
    handOff = DescriptorHandOff.listen(group, created.resolve("hand-off"));
    launcher =
        WorkerLauncher.builder()
            .daemon(true)
            .jvmOptions(
                Stream.concat(
                        CHILD_JVM_OPTIONS.stream(),
                        // Where Netty unpacks its native library: a child killed meanwhile leaves
                        // the file here, where close deletes it.
                        Stream.of("-Dio.netty.native.workdir=" + created))
                    .toList())
            .connectTimeout(STARTUP_TIMEOUT)
            .output(WorkerOutput.prefixedLines(line -> log.debug("{}", line)))
            .build();
    EpollServerSocketChannel channel = new EpollServerSocketChannel();
    channel.config().setBacklog(BACKLOG).setReuseAddress(true);
    channel.pipeline().addLast(acceptor);
    ChannelFuture registered = group.register(channel).awaitUninterruptibly();
    if (!registered.isSuccess()) {
      throw new IOException("cannot register the listener", registered.cause());
    }
    listening = channel;
    ChannelFuture bound = channel.bind(endpoint).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw bindFailure(endpoint, bound.cause());
    }
    InetSocketAddress address = channel.localAddress();
    log.info(
        "{} echo server listening on {}, at most {} child JVMs at once",
        MODEL,
        address,
        maxConnections);
    return address;
  }

  @Override
  protected void release() {
    boolean interrupted = false;
    Channel channel = listening;
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    try {
      awaitConnectionsEnded(settings.gracePeriod());
    } catch (InterruptedException e) {
      interrupted = true;
    }
    List<Connection> rest;
    synchronized (lifecycle) {
      stopping = true;
      rest = new ArrayList<>(live.values());
    }
    for (Connection connection : rest) {
      connection.stop(interrupted);
    }
    for (Connection connection : rest) {
      try {
        connection.keeper.join();
      } catch (InterruptedException e) {
        interrupted = true;
        // Stop waiting: kill the rest, whose keepers then end on their own.
        rest.forEach(each -> each.stop(true));
        break;
      }
    }
    DescriptorHandOff offering = handOff;
    if (offering != null) {
      offering.close();
    }
    EventLoopGroup group = loop;
    if (group != null) {
      // Its threads came from threadFactory: close() waits for them after this method.
      var unused = group.shutdownGracefully(0, STOP_MARGIN.toSeconds(), TimeUnit.SECONDS);
    }
    deleteDirectory();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (addressOrNull() != null) {
      log.info("{} echo server on {} closed: {}", MODEL, addressOrNull(), connections());
    }
  }

  /** Waits until no connection is live, or {@code grace} has passed. */
  private void awaitConnectionsEnded(Duration grace) throws InterruptedException {
    long start = System.nanoTime();
    for (Connection connection : new ArrayList<>(live.values())) {
      Duration left = grace.minusNanos(System.nanoTime() - start);
      if (!left.isPositive() || !connection.keeper.join(left)) {
        return;
      }
    }
  }

  /**
   * A new directory only this user may enter, for the hand-off socket: {@code
   * echo-process-per-connection-<pid>-<random>} in {@code java.io.tmpdir}. First deletes those that
   * servers of JVMs no longer alive left behind: a JVM that is killed cannot delete its own.
   */
  private static Path privateDirectory() throws IOException {
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(temporary, DIRECTORY_PREFIX + "*")) {
      for (Path abandoned : found) {
        if (isAbandoned(abandoned)) {
          deleteTree(abandoned);
        }
      }
    }
    String prefix = DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-";
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? Files.createTempDirectory(
            prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createTempDirectory(prefix);
  }

  /** Whether {@code directory} is a server's whose JVM is no longer alive. */
  private static boolean isAbandoned(Path directory) {
    String[] pidAndRandom =
        directory.getFileName().toString().substring(DIRECTORY_PREFIX.length()).split("-", 2);
    try {
      return ProcessHandle.of(Long.parseLong(pidAndRandom[0])).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Deletes the private directory and whatever is left in it. */
  private void deleteDirectory() {
    Path created = directory;
    if (created != null) {
      deleteTree(created);
    }
  }

  /** Deletes {@code root} and everything in it, logging what cannot be deleted. */
  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("cannot delete {}: {}", root, e.toString());
    }
  }

  private void countsChanged() {
    listener.countsChanged(totalConnections(), activeConnections());
  }

  /**
   * In the listener's pipeline: sees each accepted socket before Netty would register it, offers it
   * on the hand-off and starts a {@link Connection} for it instead. Stops the listener from
   * accepting while {@link #maxConnections} connections live.
   */
  private final class Acceptor extends ChannelInboundHandlerAdapter {

    /** The connections accepted and not yet ended; used on the event loop only. */
    private int admitted;

    private volatile ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel socket = (Channel) msg;
      connections().opened();
      long number = connections().total();
      handOff.offer(number, socket);
      InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
      Connection connection =
          new Connection(
              number,
              (InetSocketAddress) socket.remoteAddress(),
              "echo-" + MODEL + "-" + local.getPort() + "-" + number);
      live.put(number, connection);
      admitted++;
      if (admitted >= maxConnections) {
        ctx.channel().config().setAutoRead(false);
      }
      connection.keeper.start();
    }

    /** Called from any thread when a connection has ended. */
    void connectionEnded() {
      ChannelHandlerContext ctx = context;
      try {
        ctx.executor().execute(() -> admitNext(ctx));
      } catch (RejectedExecutionException e) {
        // The server is closing; the listener accepts no more.
      }
    }

    private void admitNext(ChannelHandlerContext ctx) {
      admitted--;
      if (admitted < maxConnections && ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Out of descriptors, say: the listener goes on, the connections are not lost.
      log.warn("{} echo server: accepting failed: {}", MODEL, cause.toString());
    }
  }

  /**
   * One accepted connection and its child JVM, kept by a platform thread of its own: it offers the
   * socket, starts the child, reads its reports until the child exits, and then counts the
   * connection closed.
   */
  private final class Connection {

    private final long number;
    private final InetSocketAddress client;
    private final Thread keeper;

    @GuardedBy("lifecycle")
    private ConnectedWorker<Void, Serving> child;

    private volatile Child serving;

    Connection(long number, InetSocketAddress client, String threadName) {
      this.number = number;
      this.client = client;
      this.keeper = threadFactory(Thread.ofPlatform().name(threadName)).newThread(this::keep);
    }

    Optional<Child> child() {
      return Optional.ofNullable(serving);
    }

    private void keep() {
      long pid = -1;
      try {
        listener.clientConnected(number, client);
        countsChanged();
        ConnectedWorker<Void, Serving> started = start();
        if (started != null) {
          pid = started.process().pid();
          watch(started);
        }
      } finally {
        // A child that never took its socket: its client sees the connection close.
        handOff.withdraw(number);
        serving = null;
        live.remove(number);
        connections().closed();
        acceptor.connectionEnded();
        listener.clientLeft(number, pid);
        countsChanged();
      }
    }

    /** Starts the child JVM, or returns null if it cannot or the server stops meanwhile. */
    private ConnectedWorker<Void, Serving> start() {
      synchronized (lifecycle) {
        if (stopping) {
          return null;
        }
      }
      ConnectedWorker<Void, Serving> started;
      try {
        started =
            launcher
                .withName("echo-connection-" + number)
                .startConnected(
                    ConnectionWorker.class,
                    ConnectionWorker.arguments(
                        handOff.socketPath(), number, settings.idleTimeout()),
                    Void.class,
                    Serving.class);
      } catch (IOException | RuntimeException e) {
        log.warn("connection {}: its child JVM did not start: {}", number, e.toString());
        return null;
      } catch (InterruptedException e) {
        // Only close interrupts a keeper, to stop a child that is still starting; it is killed.
        return null;
      }
      synchronized (lifecycle) {
        if (!stopping) {
          child = started;
          return started;
        }
      }
      // close() came while the child started, and found nothing to stop yet.
      Thread.interrupted();
      started.channel().close();
      stopChild(started);
      return null;
    }

    /** Reads the child's reports until its channel ends, then waits for it to exit. */
    private void watch(ConnectedWorker<Void, Serving> started) {
      MessageChannel<Void, Serving> channel = started.channel();
      try {
        for (Optional<Serving> report = channel.receive();
            report.isPresent();
            report = channel.receive()) {
          Child serves = new Child(number, started.process().pid(), report.get().client());
          serving = serves;
          listener.childServing(serves);
        }
      } catch (IOException e) {
        // close() closed the channel to stop the child, or the child broke it: either way the
        // child sees the end of its channel, closes the connection and exits.
        log.debug("connection {}: channel to its child ended: {}", number, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel.close();
      stopChild(started);
    }

    /** Waits for a child whose channel is closed to exit, and kills it if it does not in time. */
    private void stopChild(ConnectedWorker<Void, Serving> started) {
      try {
        if (!Thread.currentThread().isInterrupted() && !started.process().join(STOP_MARGIN)) {
          log.warn(
              "connection {}: child JVM {} did not exit within {}; killing it",
              number,
              started.process().pid(),
              STOP_MARGIN);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Kills the child if it still runs, and waits for it to exit.
      started.close();
      started
          .process()
          .failure()
          .ifPresent(failure -> log.warn("connection {}: its child JVM failed", number, failure));
    }

    /**
     * Tells the child to stop: closes its channel, or kills it when {@code now}; a keeper whose
     * child is still starting is interrupted, which kills that child.
     */
    void stop(boolean now) {
      synchronized (lifecycle) {
        if (child == null) {
          keeper.interrupt();
        } else if (now) {
          child.process().kill();
        } else {
          child.channel().close();
        }
      }
    }
  }
}
