package io.github.concurrencycourse.bench.echo;

import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every echo server model on the class path (found through {@link EchoServerModels}, so the
 * io-models and net-echo servers alike) under the same load, side by side: each server in its own
 * child JVM at the model's default settings, driven by {@link EchoLoadGenerator} from this one,
 * with the server's CPU time per request and resident memory per connection read from {@code
 * /proc}. Prints a Markdown table with {@code netty-nio} as the reference and writes an SVG chart
 * of requests/s against connections.
 *
 * <p>Run it with:
 *
 * <pre>
 * mvn -B -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.github.concurrencycourse.bench.echo.IoModelsComparison --quick
 * </pre>
 *
 * {@code --quick} runs 1 and 100 connections with 64-byte and 64 KiB messages, 0.5 s of warm-up and
 * 2 s measured per cell, in under two minutes; without it, 1, 100 and 1 000 connections, 1 s and 5
 * s. The chart goes to {@code io-models-comparison.svg} in the working directory, or to the path
 * after {@code --svg}.
 */
public final class IoModelsComparison {

  static final String REFERENCE = "netty-nio";

  private IoModelsComparison() {}

  /** One measured cell. */
  record Row(
      String model,
      int connections,
      int messageSize,
      Optional<EchoLoadGenerator.Result> result,
      String note,
      double cpuMicrosPerRequest,
      double rssKibPerConnection) {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    int svgIndex = List.of(args).indexOf("--svg");
    Path svg = Path.of(svgIndex >= 0 ? args[svgIndex + 1] : "io-models-comparison.svg");
    int[] connections = quick ? new int[] {1, 100} : new int[] {1, 100, 1000};
    int[] sizes = {64, 64 * 1024};
    Duration warmUp = quick ? Duration.ofMillis(500) : Duration.ofSeconds(1);
    Duration measured = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);

    List<Row> rows = new ArrayList<>();
    long started = System.nanoTime();
    for (EchoServerModel model : EchoServerModels.load().all()) {
      rows.addAll(measure(model.name(), connections, sizes, warmUp, measured));
    }
    String table = MarkdownTable.render(rows, REFERENCE);
    System.out.println(table);
    Files.writeString(svg, ThroughputChart.svg(rows, 64), StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "%nchart: %s; %d cells in %.0f s on %d cores%n",
        svg.toAbsolutePath(),
        rows.size(),
        (System.nanoTime() - started) / 1e9,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * Starts the model in a child JVM with its default settings and measures every cell against it,
   * the most connections first, so that resident memory per connection is read while the JVM has
   * not yet grown for them.
   */
  private static List<Row> measure(
      String model, int[] connections, int[] sizes, Duration warmUp, Duration measured)
      throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .name(model)
            .jvmOptions("-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED")
            .output(
                WorkerOutput.prefixedLines(
                    line -> {
                      int at = line.indexOf(EchoServerWorker.READY);
                      if (at >= 0) {
                        port.complete(
                            Integer.parseInt(
                                line.substring(at + EchoServerWorker.READY.length()).trim()));
                      } else if (!line.contains("SLF4J")) {
                        System.err.println(line);
                      }
                    }))
            .build();
    List<Row> rows = new ArrayList<>();
    try (WorkerProcess server = launcher.start(EchoServerWorker.class, model, "0")) {
      // Whichever comes first: the port, or the end of a JVM that failed to start its server.
      CompletableFuture.anyOf(port, server.onExit()).get(60, TimeUnit.SECONDS);
      if (!port.isDone()) {
        for (int n : connections) {
          for (int size : sizes) {
            rows.add(new Row(model, n, size, Optional.empty(), "did not start", 0, 0));
          }
        }
        return rows;
      }
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port.get());
      for (int i = connections.length - 1; i >= 0; i--) {
        for (int size : sizes) {
          Row row = measureCell(server, address, model, connections[i], size, warmUp, measured);
          System.err.println(describe(row));
          rows.add(row);
        }
      }
    } finally {
      rows.sort(
          Comparator.comparing(Row::model)
              .thenComparingInt(Row::connections)
              .thenComparingInt(Row::messageSize));
    }
    return rows;
  }

  private static Row measureCell(
      WorkerProcess server,
      InetSocketAddress address,
      String model,
      int connections,
      int size,
      Duration warmUp,
      Duration measured)
      throws IOException {
    long rssBefore = ProcStatus.residentKib(server.pid());
    try (EchoLoadGenerator load = EchoLoadGenerator.open(address, connections, size)) {
      long rssAfter = ProcStatus.residentKib(server.pid());
      Duration cpuBefore = ProcStatus.cpuTime(server.pid());
      EchoLoadGenerator.Result result = load.run(warmUp, measured);
      Duration cpu = ProcStatus.cpuTime(server.pid()).minus(cpuBefore);
      double cpuPerRequest =
          result.requests() == 0 ? Double.NaN : cpu.toNanos() / 1e3 / result.requests();
      String note =
          result.servedAll()
              ? ""
              : "served " + result.connectionsServed() + " of " + connections + " at once";
      return new Row(
          model,
          connections,
          size,
          Optional.of(result),
          note,
          cpuPerRequest,
          Math.max(0, rssAfter - rssBefore) / (double) connections);
    } catch (IOException e) {
      return new Row(model, connections, size, Optional.empty(), "failed: " + e.getMessage(), 0, 0);
    }
  }

  private static String describe(Row row) {
    return row.result()
        .map(
            r ->
                String.format(
                    Locale.ROOT,
                    "%-16s %5d conn %6d B: %9.0f req/s p99 %6d us %s",
                    row.model(),
                    row.connections(),
                    row.messageSize(),
                    r.requestsPerSecond(),
                    r.latencyMicros().getValueAtPercentile(99),
                    row.note()))
        .orElse(row.model() + " " + row.connections() + " conn: " + row.note());
  }
}
