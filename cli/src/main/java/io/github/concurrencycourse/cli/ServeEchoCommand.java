package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import io.github.concurrencycourse.iomodels.NettyEchoServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code course serve echo --model M}: runs one uppercase-echo server until Ctrl-C, printing the
 * connection counts as the seed does (总的连接数 / alive的连接数) whenever they change, then closes it
 * cleanly. The models are whatever {@link EchoServerModels} finds on the class path; the help lists
 * each with the options it honours. An option the chosen model does not honour is a usage error
 * (exit code 2) naming the model and the option, before any port is bound. A Netty model also
 * prints the transport it runs on, and why it fell back when the system refused the one named.
 */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    description = "Run an uppercase-echo server of the chosen model until Ctrl-C.")
final class ServeEchoCommand implements Callable<Integer> {

  private static final Duration COUNT_POLL = Duration.ofSeconds(1);

  private final EchoServerModels models;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<StopSignal> stopSignal;
  private CommandSpec spec;

  @picocli.CommandLine.Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "the server model, e.g. pool, virtual, selector (listed below)")
  private String model;

  @picocli.CommandLine.Option(
      names = "--port",
      defaultValue = "" + EchoServer.SEED_PORT,
      description = "port to listen on, 0 for any (default: ${DEFAULT-VALUE}, the seed's)")
  private int port;

  @picocli.CommandLine.Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default: ${DEFAULT-VALUE})")
  private String bind;

  @picocli.CommandLine.Option(
      names = "--workers",
      defaultValue = "0",
      description = "threads, event loops or processes serving clients; 0 for the model's default")
  private int workers;

  @picocli.CommandLine.Option(
      names = "--max-connections",
      defaultValue = "0",
      description =
          "most connections held at once, newcomers wait in the listen queue; 0 for no limit")
  private int maxConnections;

  @picocli.CommandLine.Option(
      names = "--idle-timeout",
      defaultValue = "PT0S",
      description = "close a connection silent this long, ISO-8601; PT0S for never")
  private Duration idleTimeout;

  @picocli.CommandLine.Option(
      names = "--grace-period",
      defaultValue = "PT0S",
      description =
          "on Ctrl-C, let live connections finish this long before closing them, ISO-8601;"
              + " PT0S to close them at once")
  private Duration gracePeriod;

  ServeEchoCommand(
      EchoServerModels models, PrintStream out, PrintStream err, Supplier<StopSignal> stopSignal) {
    this.models = models;
    this.out = out;
    this.err = err;
    this.stopSignal = stopSignal;
  }

  /** Lists the models and the options each honours at the end of {@code --help}. */
  @Spec
  void describeModels(CommandSpec spec) {
    this.spec = spec;
    StringBuilder footer = new StringBuilder("%nModels, and the options each honours:%n");
    for (EchoServerModel each : models.all()) {
      footer.append(
          String.format(
              Locale.ROOT,
              "  %-15s %s%n",
              each.name(),
              each.supportedOptions().isEmpty()
                  ? "none"
                  : each.supportedOptions().stream()
                      .sorted()
                      .map(Option::flag)
                      .collect(Collectors.joining(", "))));
    }
    footer.append("Any other option given to a model is refused.");
    spec.usageMessage().footer(footer.toString());
  }

  @Override
  public Integer call() throws InterruptedException {
    Optional<EchoServerModel> found = models.find(model);
    if (found.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "no echo server model '" + model + "'; " + available());
    }
    EchoServer created;
    try {
      created =
          found
              .get()
              .create(new EchoServerSettings(workers, maxConnections, idleTimeout, gracePeriod));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    StopSignal stop = stopSignal.get();
    try (EchoServer server = created) {
      InetSocketAddress address =
          server.start(new InetSocketAddress(InetAddress.getByName(bind), port));
      out.printf(
          "服务器已经启动.... %s serving uppercase echo on %s:%d (Ctrl-C stops)%n",
          model, address.getHostString(), address.getPort());
      if (server instanceof NettyEchoServer netty) {
        // A Netty model runs on the best transport the system allows: say which one that is.
        out.println("Netty transport: " + netty.describeTransport());
      }
      watchCounts(server, stop);
      out.println("stopping: closing the listener and every connection...");
    } catch (BindException e) {
      err.println("course: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println("course: the " + model + " server failed: " + e);
      return 1;
    } finally {
      stop.stopped();
    }
    out.println("stopped.");
    return 0;
  }

  private void watchCounts(EchoServer server, StopSignal stop) throws InterruptedException {
    long lastTotal = -1;
    int lastActive = -1;
    do {
      long total = server.totalConnections();
      int active = server.activeConnections();
      if (total != lastTotal || active != lastActive) {
        out.printf("总的连接数:%d,alive的连接数:%d%n", total, active);
        lastTotal = total;
        lastActive = active;
      }
    } while (!stop.awaitStopRequest(COUNT_POLL));
  }

  private String available() {
    if (models.all().isEmpty()) {
      return "no model is on the class path";
    }
    return "available: "
        + models.all().stream()
            .map(m -> m.name() + " (" + m.description() + ")")
            .collect(Collectors.joining(", "));
  }
}
