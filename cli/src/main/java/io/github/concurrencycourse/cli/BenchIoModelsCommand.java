package io.github.concurrencycourse.cli;

import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Plan;
import io.github.concurrencycourse.iomodels.loadtest.IoModelsComparison.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code course bench io-models}: every echo server model, each in its own JVM, under the same load
 * from a load generator in another JVM, the two pinned to separate CPUs where the OS allows; prints
 * the Markdown tables, where the generator and the servers ran and the machine's load average
 * before and after, and writes the SVG chart. Progress goes to the error stream, so the tables on
 * the output can be redirected to a file on their own.
 *
 * <p>Exit codes: 0 the comparison ran; 2 a usage error (an unknown model, a plan that cannot run).
 */
@Command(
    name = "io-models",
    mixinStandardHelpOptions = true,
    description = {
      "Compare every echo server model under the same load, Netty NIO as the",
      "reference and the cheapest correct server as the ceiling: connections 1, 100,",
      "1000, 10000 x 64-byte and 64 KiB messages. The load generator runs in its own",
      "JVM, pinned apart from the server where taskset allows; cells where it was the",
      "bottleneck are marked client-bound. Prints Markdown tables and writes a chart",
      "of requests/s and p99 latency against connections."
    })
final class BenchIoModelsCommand implements Callable<Integer> {

  private final PrintStream out;
  private final PrintStream err;

  @Option(
      names = "--quick",
      description = "1, 100 and 1000 connections, 0.25 s warm-up and 0.75 s per cell")
  private boolean quick;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "MODEL",
      description = "the models to compare, comma-separated (default: all)")
  private List<String> models = new ArrayList<>();

  @Option(
      names = "--connections",
      split = ",",
      paramLabel = "N",
      description = "connection counts (default: 1,100,1000,10000; --quick: 1,100,1000)")
  private List<Integer> connections = new ArrayList<>();

  @Option(
      names = "--sizes",
      split = ",",
      paramLabel = "BYTES",
      description = "message sizes in bytes (default: 64,65536)")
  private List<Integer> sizes = new ArrayList<>();

  @Option(
      names = "--in-flight",
      defaultValue = "1",
      description = "messages in flight on each connection (default: ${DEFAULT-VALUE})")
  private int inFlight;

  @Option(names = "--warm-up", description = "load before each measurement, ISO-8601")
  private Duration warmUp;

  @Option(names = "--duration", description = "each measurement, ISO-8601")
  private Duration duration;

  @Option(
      names = "--svg",
      defaultValue = "io-models-comparison.svg",
      paramLabel = "FILE",
      description = "where to write the chart (default: ${DEFAULT-VALUE})")
  private Path svg;

  @Spec private CommandSpec spec;

  BenchIoModelsCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Plan plan = plan();
    String loadBefore = loadAverage();
    long started = System.nanoTime();
    Report report =
        IoModelsComparison.run(
            plan,
            line ->
                err.printf(
                    Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line));
    out.println(report.markdown());
    out.println(report.memoryMarkdown());
    Files.writeString(svg, report.svg(), StandardCharsets.UTF_8);
    out.printf(
        Locale.ROOT,
        "chart: %s%n%d cells, %d models, %d in flight per connection, in %.0f s on %d cores%n"
            + "rig: %s%nload average (1, 5, 15 min): %s before, %s after%n",
        svg.toAbsolutePath(),
        report.cells().size(),
        plan.models().size(),
        plan.inFlight(),
        (System.nanoTime() - started) / 1e9,
        Runtime.getRuntime().availableProcessors(),
        report.rig(),
        loadBefore,
        loadAverage());
    return 0;
  }

  /** The first three fields of {@code /proc/loadavg}, or "unknown" where there is none. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+", -1);
      return String.join(" ", List.of(fields).subList(0, Math.min(3, fields.length)));
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The plan the options ask for: the quick or full one, with what was given instead. */
  private Plan plan() {
    List<String> known = IoModelsComparison.availableModels();
    List<String> unknown = models.stream().filter(model -> !known.contains(model)).toList();
    if (!unknown.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "no echo server model "
              + String.join(", ", unknown)
              + "; known: "
              + String.join(", ", known));
    }
    List<String> chosen = models.isEmpty() ? known : models;
    Plan base = quick ? Plan.quick(chosen) : Plan.full(chosen);
    try {
      return new Plan(
          chosen,
          connections.isEmpty() ? base.connections() : connections,
          sizes.isEmpty() ? base.messageSizes() : sizes,
          inFlight,
          warmUp == null ? base.warmUp() : warmUp,
          duration == null ? base.duration() : duration,
          base.stall(),
          base.limit());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
