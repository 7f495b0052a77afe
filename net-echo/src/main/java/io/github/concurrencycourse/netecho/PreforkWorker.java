package io.github.concurrencycourse.netecho;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One worker JVM of a {@link PreforkEchoServer}, started connected: binds the server's port with
 * {@code SO_REUSEPORT} beside its siblings, serves the connections the kernel gives it with a
 * platform or virtual thread each, and reports to the parent over the channel between them: {@link
 * Listening} once it accepts connections, then {@link Counts} whenever its counts change. Runs
 * until the JVM is told to stop (SIGTERM), then closes its server within the grace period.
 *
 * <p>Arguments: host address, port, {@code platform} or {@code virtual}, max connections, idle
 * timeout in milliseconds, grace period in milliseconds.
 */
final class PreforkWorker implements WorkerTask {

  /** What a worker tells its parent; the parent tells a worker nothing. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
  sealed interface Report permits Listening, Counts {}

  /** The worker accepts connections on {@code port}. */
  record Listening(int port) implements Report {}

  /** The worker's live and total connection counts, sent whenever they change. */
  record Counts(int active, long total) implements Report {}

  /** Set once, before the server starts. */
  private volatile DispatchingEchoServer server;

  @GuardedBy("this")
  private MessageChannel<Report, Void> parent;

  PreforkWorker() {}

  static List<String> arguments(
      InetSocketAddress address, boolean virtualThreads, EchoServerSettings options) {
    return List.of(
        address.getAddress().getHostAddress(),
        String.valueOf(address.getPort()),
        virtualThreads ? "virtual" : "platform",
        String.valueOf(options.maxConnections()),
        String.valueOf(options.idleTimeout().toMillis()),
        String.valueOf(options.gracePeriod().toMillis()));
  }

  @Override
  public void run(List<String> arguments) throws Exception {
    InetSocketAddress address =
        new InetSocketAddress(
            InetAddress.getByName(arguments.get(0)), Integer.parseInt(arguments.get(1)));
    boolean virtualThreads = arguments.get(2).equals("virtual");
    EchoServerSettings options =
        new EchoServerSettings(
            0,
            Integer.parseInt(arguments.get(3)),
            Duration.ofMillis(Long.parseLong(arguments.get(4))),
            Duration.ofMillis(Long.parseLong(arguments.get(5))));
    synchronized (this) {
      parent = MessageChannel.toParent(Report.class, Void.class);
    }
    DispatchingEchoServer created =
        virtualThreads
            ? new VirtualThreadEchoServer(options, true, this::reportCounts)
            : new ThreadPerConnectionEchoServer(options, true, this::reportCounts);
    server = created;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      created.close();
                      stopped.countDown();
                    }));
    created.start(address);
    report(new Listening(created.address().getPort()));
    // The JVM ends through the shutdown hook (SIGTERM from the parent) or by SIGKILL.
    stopped.await();
  }

  /** Sends the counts under the lock, so the last report sent holds the latest counts. */
  private synchronized void reportCounts() {
    DispatchingEchoServer current = server;
    if (current != null) {
      report(new Counts(current.activeConnections(), current.totalConnections()));
    }
  }

  private synchronized void report(Report report) {
    try {
      parent.send(report);
    } catch (IOException e) {
      // The parent is gone; this daemon worker halts within moments, and nobody is left to tell.
      System.err.println("cannot report " + report + " to the parent: " + e);
    }
  }
}
