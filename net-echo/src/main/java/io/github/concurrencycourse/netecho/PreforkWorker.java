package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One worker JVM of a {@link PreforkEchoServer}: binds the server's port with {@code SO_REUSEPORT}
 * beside its siblings, serves the connections the kernel gives it with a platform or virtual thread
 * each, and reports to the parent on its standard output: {@value #LISTENING} once it accepts
 * connections, then {@value #COUNTS} with its live and total connection counts whenever they
 * change. Runs until the JVM is told to stop (SIGTERM), then closes its server within the grace
 * period.
 *
 * <p>Arguments: host address, port, {@code platform} or {@code virtual}, max connections, idle
 * timeout in milliseconds, grace period in milliseconds.
 */
final class PreforkWorker implements WorkerTask {

  /** The report a worker prints once it listens: {@code LISTENING <port>}. */
  static final String LISTENING = "LISTENING";

  /** The report a worker prints when its counts change: {@code COUNTS <live> <total>}. */
  static final String COUNTS = "COUNTS";

  private final PrintStream reports = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private volatile DispatchingEchoServer server;

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
    DispatchingEchoServer created =
        virtualThreads
            ? new VirtualThreadEchoServer(options, true, this::report)
            : new ThreadPerConnectionEchoServer(options, true, this::report);
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
    synchronized (this) {
      reports.println(LISTENING + " " + created.address().getPort());
    }
    // The JVM ends through the shutdown hook (SIGTERM from the parent) or by SIGKILL.
    stopped.await();
  }

  /** Prints the counts under the lock, so the last line printed holds the latest counts. */
  private synchronized void report() {
    DispatchingEchoServer current = server;
    if (current != null) {
      reports.println(
          COUNTS + " " + current.activeConnections() + " " + current.totalConnections());
    }
  }
}
