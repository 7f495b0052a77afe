package io.github.concurrencycourse.netecho;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.AbstractEchoServer;
import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.netecho.PreforkWorker.Counts;
import io.github.concurrencycourse.netecho.PreforkWorker.Listening;
import io.github.concurrencycourse.netecho.PreforkWorker.Report;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's process-per-client server (socket通信多用户同时操作(多进程方式)) in the form a JVM allows: pre-fork.
 * The seed's parent accepts a connection and hands the socket to a new child process; a JVM cannot
 * pass an accepted socket to another JVM, so instead {@code N} worker JVMs each bind the same port
 * with {@code SO_REUSEPORT} and the Linux kernel spreads new connections over their listening
 * sockets (by a hash of the connection's addresses). Each worker serves its connections with a
 * platform or a virtual thread each.
 *
 * <h2>The parent</h2>
 *
 * <ul>
 *   <li><b>Port.</b> It first binds the endpoint without {@code SO_REUSEPORT} to learn whether the
 *       port is free (a {@link BindException} otherwise) and which port 0 picked, releases that
 *       socket, and binds the port again with {@code SO_REUSEPORT} without listening. That socket
 *       takes no connection (only listening sockets do) but keeps the port reserved for the
 *       server's lifetime, also while every worker is being restarted: a program that does not set
 *       {@code SO_REUSEPORT} cannot bind it. A program of the same user that sets it could join the
 *       group, as on any {@code SO_REUSEPORT} port.
 *   <li><b>Supervision.</b> A supervisor thread per worker starts it connected, reads its reports
 *       from the {@link MessageChannel} between them, and restarts the worker when it dies.
 *       Connections the dead worker held are lost (their clients see a reset or an end of stream),
 *       connections held by the other workers go on, and new clients are spread over the workers
 *       that listen.
 *   <li><b>Counts.</b> Workers report their live and total connection counts over their channels;
 *       the parent adds them up, the seed's 总的连接数 and alive的连接数. They lag the workers by a socket's
 *       delay, as the {@link EchoServer} contract allows.
 *   <li><b>Close.</b> Asks every worker to stop (SIGTERM; a worker closes its server within the
 *       grace period of its {@link EchoServerSettings}), kills those still running after that plus
 *       a margin, and returns once every worker JVM and every thread of the parent has ended.
 * </ul>
 *
 * <p>Honours every option ({@link #OPTIONS}): {@code workers} is the number of worker JVMs ({@value
 * #DEFAULT_WORKERS} by default); the connection limit, the idle timeout and the grace period are
 * applied by each worker to its own connections, so the limit is per worker. The life cycle is
 * {@link AbstractEchoServer}'s; a {@code close} that comes while {@code start} waits for the
 * workers waits in turn for the start to end, then everything started is stopped.
 *
 * <p>Linux only: {@code SO_REUSEPORT} load-balances accepts on Linux 3.9 and later; on systems
 * without it {@link #start} fails with {@link UnsupportedOperationException}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class PreforkEchoServer extends AbstractEchoServer {

  /** The workers of {@link #PreforkEchoServer()}. */
  public static final int DEFAULT_WORKERS = 2;

  /** The options this server honours: all of them. */
  public static final Set<Option> OPTIONS = Set.of(Option.values());

  /** How long {@link #start} waits for a worker JVM to listen. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** What close allows a worker beyond its grace period before killing it. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

  /**
   * A small JVM per worker: an echo worker needs little heap. It keeps C2, unlike the course's
   * short-lived child JVMs: a worker serves for the server's lifetime, and with C1 alone it spent a
   * fifth more CPU per megabyte of 64 KiB messages.
   */
  private static final List<String> WORKER_JVM_OPTIONS =
      List.of("-Xmx96m", "-XX:+UseSerialGC", "-Xss512k");

  private static final Logger log = LoggerFactory.getLogger(PreforkEchoServer.class);

  /**
   * Hears what the parent sees. Called from the parent's threads; must be thread-safe and quick.
   */
  public interface Listener {

    /** The counts changed: the seed's {@code 总的连接数:%s,alive的连接数:%s}. */
    default void countsChanged(long total, int alive) {}

    /**
     * A worker JVM listens on the port. Called on that worker's supervising thread, so for the
     * first workers possibly just after {@code start} has returned.
     */
    default void workerListening(String name, long pid) {}

    /** A worker JVM died while the server was running; a new one is being started. */
    default void workerDied(String name, long pid, int exitCode) {}
  }

  /**
   * One worker as the parent last heard of it.
   *
   * @param name the worker's name, {@code echo-worker-<slot>} and a generation after a restart
   * @param pid the worker JVM's process id
   * @param activeConnections its live connections
   * @param totalConnections the connections it accepted
   */
  public record WorkerStatus(String name, long pid, int activeConnections, long totalConnections) {}

  private final int workerCount;
  private final boolean virtualThreads;
  private final EchoServerSettings settings;
  private final Listener listener;
  private final AtomicLong restarts = new AtomicLong();

  /** Set once by start, before any worker is launched; read by the supervisors. */
  private volatile InetSocketAddress port;

  private volatile SocketChannel portReservation;

  /** Set once by start; read without the lock, by the count readers among others. */
  private volatile List<Slot> slots = List.of();

  /** Guards what the supervisors share with close: whether to start workers, and which run. */
  private final Object supervision = new Object();

  @GuardedBy("supervision")
  private boolean stopping;

  /** Two workers, a platform thread per connection, default settings. */
  public PreforkEchoServer() {
    this(EchoServerSettings.DEFAULTS, false, new Listener() {});
  }

  /**
   * A server of {@code settings.workersOr(}{@value #DEFAULT_WORKERS}{@code )} worker JVMs.
   *
   * @param settings the number of workers; the rest is applied by each worker to its own
   *     connections, so {@code maxConnections} is per worker
   * @param virtualThreads whether a worker serves each connection with a virtual thread rather than
   *     a platform thread
   */
  public PreforkEchoServer(EchoServerSettings settings, boolean virtualThreads, Listener listener) {
    this.settings = settings.requireSupported("prefork", OPTIONS);
    this.workerCount = settings.workersOr(DEFAULT_WORKERS);
    this.virtualThreads = virtualThreads;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** How many worker JVMs serve the port. */
  public int workers() {
    return workerCount;
  }

  /** How many times a worker that died was replaced. */
  public long restarts() {
    return restarts.get();
  }

  /** The workers running now, as last reported; empty before start and after close. */
  public List<WorkerStatus> workerStatuses() {
    List<WorkerStatus> statuses = new ArrayList<>();
    for (Slot slot : slots) {
      slot.status().ifPresent(statuses::add);
    }
    return statuses;
  }

  @Override
  protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
    InetSocketAddress bound = probe(endpoint);
    portReservation = reserve(bound);
    port = bound;
    List<Slot> created = new ArrayList<>();
    for (int i = 1; i <= workerCount; i++) {
      created.add(new Slot(i));
    }
    slots = List.copyOf(created);
    try {
      for (Slot slot : created) {
        slot.supervisor.start();
      }
      for (Slot slot : created) {
        slot.awaitFirstWorker();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the workers started", e);
    }
    log.info("prefork echo server listening on {} with {} workers", bound, workerCount);
    return bound;
  }

  @Override
  public int activeConnections() {
    return workerStatuses().stream().mapToInt(WorkerStatus::activeConnections).sum();
  }

  @Override
  public long totalConnections() {
    return slots.stream().mapToLong(Slot::totalConnections).sum();
  }

  /** Stops every worker and supervisor and frees the port. */
  @Override
  protected void release() {
    List<WorkerProcess> running = new ArrayList<>();
    synchronized (supervision) {
      stopping = true;
      for (Slot slot : slots) {
        slot.currentProcess().ifPresent(running::add);
      }
    }
    running.forEach(WorkerProcess::terminate);
    boolean interrupted = false;
    Duration patience = settings.gracePeriod().plus(STOP_MARGIN);
    for (Slot slot : slots) {
      try {
        if (!slot.supervisor.join(patience)) {
          log.warn("worker {} did not stop within {}; killing it", slot.number, patience);
          slot.killWorker();
          // A worker still starting is not running yet: the interrupt stops its start.
          slot.supervisor.interrupt();
          slot.supervisor.join();
        }
      } catch (InterruptedException e) {
        interrupted = true;
        slot.killWorker();
      }
    }
    closeQuietly(portReservation);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (port != null) {
      log.info("prefork echo server on {} closed", port);
    }
  }

  /** Binds {@code endpoint} as a plain listener would, to fail early on a busy port. */
  private static InetSocketAddress probe(InetSocketAddress endpoint) throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      // As the workers: a connection of an earlier server in TIME_WAIT must not block the port.
      probe.setReuseAddress(true);
      probe.bind(endpoint, 1);
      return (InetSocketAddress) probe.getLocalSocketAddress();
    }
  }

  /**
   * Binds the port with SO_REUSEPORT and without SO_REUSEADDR, and does not listen: a socket that
   * keeps the port from programs that do not set SO_REUSEPORT and takes no connection itself.
   */
  private static SocketChannel reserve(InetSocketAddress port) throws IOException {
    SocketChannel reservation = SocketChannel.open();
    try {
      if (!reservation.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
        throw new UnsupportedOperationException(
            "SO_REUSEPORT is not supported here; the prefork server needs Linux");
      }
      reservation.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      reservation.bind(port);
      return reservation;
    } catch (IOException | RuntimeException e) {
      reservation.close();
      throw e;
    }
  }

  private void countsChanged() {
    listener.countsChanged(totalConnections(), activeConnections());
  }

  /** One place for a worker: its supervisor, its current JVM and what that JVM reported. */
  private final class Slot {

    private final int number;
    private final Thread supervisor;
    private final CompletableFuture<Void> firstWorker = new CompletableFuture<>();

    /** The connections of the slot's earlier, dead workers. */
    private final AtomicLong retiredTotal = new AtomicLong();

    @GuardedBy("supervision")
    private WorkerProcess process;

    @GuardedBy("this")
    private String name;

    @GuardedBy("this")
    private int active;

    @GuardedBy("this")
    private long total;

    @GuardedBy("this")
    private final Deque<String> lastLines = new ArrayDeque<>();

    Slot(int number) {
      this.number = number;
      this.supervisor =
          threadFactory(
                  Thread.ofPlatform()
                      .name("echo-prefork-" + port.getPort() + "-supervisor-" + number))
              .newThread(this::supervise);
    }

    void awaitFirstWorker() throws IOException, InterruptedException {
      try {
        firstWorker.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IOException("worker " + number + " did not listen within " + STARTUP_TIMEOUT, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException("worker " + number + " failed to start", e.getCause());
      }
    }

    private void supervise() {
      int generation = 0;
      while (true) {
        generation++;
        String workerName = "echo-worker-" + number + (generation == 1 ? "" : "." + generation);
        synchronized (supervision) {
          if (stopping) {
            return;
          }
        }
        ConnectedWorker<Void, Report> worker;
        try {
          worker = launch(workerName);
        } catch (IOException | RuntimeException e) {
          String lastWords = lastWords();
          firstWorker.completeExceptionally(
              lastWords.isEmpty() ? e : new IOException(e.getMessage() + lastWords, e));
          log.error("cannot start worker {}: {}", workerName, e.toString());
          return;
        } catch (InterruptedException e) {
          // Only close interrupts a supervisor, to stop a worker that is still starting.
          firstWorker.completeExceptionally(
              new IOException("the server closed while worker " + workerName + " started", e));
          return;
        }
        synchronized (supervision) {
          if (stopping) {
            worker.close();
            return;
          }
          process = worker.process();
        }
        try {
          readReports(workerName, worker);
          worker.process().join();
        } catch (InterruptedException e) {
          worker.close();
          return;
        }
        worker.channel().close();
        int exitCode = worker.process().exitValue();
        String lastWords = retire();
        if (!firstWorker.isDone()) {
          firstWorker.completeExceptionally(
              new IOException(
                  "worker "
                      + workerName
                      + " exited with code "
                      + exitCode
                      + " before listening"
                      + lastWords));
          return;
        }
        synchronized (supervision) {
          process = null;
          if (stopping) {
            return;
          }
        }
        restarts.incrementAndGet();
        log.warn(
            "worker {} (pid {}) died with exit code {}; restarting it",
            workerName,
            worker.process().pid(),
            exitCode);
        listener.workerDied(workerName, worker.process().pid(), exitCode);
      }
    }

    private ConnectedWorker<Void, Report> launch(String workerName)
        throws IOException, InterruptedException {
      synchronized (this) {
        name = workerName;
        active = 0;
        total = 0;
        lastLines.clear();
      }
      String prefix = "[" + workerName + "] ";
      return WorkerLauncher.builder()
          .name(workerName)
          .daemon(true)
          .jvmOptions(WORKER_JVM_OPTIONS)
          .connectTimeout(STARTUP_TIMEOUT)
          .output(
              WorkerOutput.prefixedLines(
                  line -> onLine(workerName, line.substring(prefix.length()))))
          .build()
          .startConnected(
              PreforkWorker.class,
              PreforkWorker.arguments(port, virtualThreads, settings.withWorkers(0)),
              Void.class,
              Report.class);
    }

    /**
     * Reads a worker's reports until its channel ends, which it does when the worker exits. A
     * channel that breaks (a malformed report) leaves the parent blind to that worker, so the
     * worker is killed and, like any worker that dies, replaced.
     */
    private void readReports(String workerName, ConnectedWorker<Void, Report> worker)
        throws InterruptedException {
      MessageChannel<Void, Report> channel = worker.channel();
      try {
        for (Optional<Report> report = channel.receive();
            report.isPresent();
            report = channel.receive()) {
          switch (report.get()) {
            case Listening listening -> {
              firstWorker.complete(null);
              listener.workerListening(workerName, worker.process().pid());
            }
            case Counts counts -> {
              synchronized (this) {
                active = counts.active();
                total = counts.total();
              }
              countsChanged();
            }
          }
        }
      } catch (IOException e) {
        log.warn("worker {} broke its channel and is killed: {}", workerName, e.toString());
        worker.process().kill();
      }
    }

    /** Keeps a worker's last lines of output, to say why a worker that failed to start failed. */
    private void onLine(String workerName, String line) {
      synchronized (this) {
        if (!workerName.equals(name)) {
          return;
        }
        lastLines.addLast(line);
        if (lastLines.size() > 5) {
          lastLines.removeFirst();
        }
      }
      log.debug("[{}] {}", workerName, line);
    }

    /** Counts a dead worker's connections as closed; returns its last output lines. */
    private String retire() {
      String lastWords;
      synchronized (this) {
        retiredTotal.addAndGet(total);
        total = 0;
        active = 0;
        name = null;
        lastWords = lastWords();
      }
      countsChanged();
      return lastWords;
    }

    /** The worker's last lines of output, as the end of an error message. */
    private synchronized String lastWords() {
      return lastLines.isEmpty() ? "" : ": " + String.join(" | ", lastLines);
    }

    Optional<WorkerStatus> status() {
      long pid;
      synchronized (supervision) {
        if (process == null || !process.isAlive()) {
          return Optional.empty();
        }
        pid = process.pid();
      }
      synchronized (this) {
        return name == null
            ? Optional.empty()
            : Optional.of(new WorkerStatus(name, pid, active, total));
      }
    }

    long totalConnections() {
      synchronized (this) {
        return retiredTotal.get() + total;
      }
    }

    Optional<WorkerProcess> currentProcess() {
      synchronized (supervision) {
        return Optional.ofNullable(process);
      }
    }

    void killWorker() {
      synchronized (supervision) {
        if (process != null) {
          process.kill();
        }
      }
    }
  }
}
