package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Echo server models side by side under the same load: each model (found through {@link
 * EchoServerModels}, so every model on the class path, whichever module registered it) runs in its
 * own child JVM at its default settings and is driven by an {@link EchoLoadGenerator} in this JVM,
 * cell by cell: connections × message size. The server's CPU time per request and resident memory
 * per connection are read from {@code /proc}, over the server's whole process tree.
 *
 * <p>For each model it first opens the plan's largest number of connections on the fresh server,
 * has each answered once and reads how much the server's resident memory grew per connection. Then
 * it measures the cells from the fewest connections up; a model that cannot serve a number of
 * connections at once (the one-client blocking server, a full pool) gets a note for that cell and
 * the larger ones instead of a hang. Cells whose messages in flight would exceed the plan's byte
 * bound are skipped with a note.
 *
 * <p>Blocking: {@link #run} takes as long as the plan says (about a second per cell plus start-up);
 * it is interruptible between cells and leaves no child JVM behind when it returns or throws.
 */
public final class IoModelsComparison {

  /** The model every other is compared with. */
  public static final String REFERENCE = "netty-nio";

  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);
  private static final String HELD = "held ";
  private static final String ANSWERED = "answered ";

  /**
   * What to measure.
   *
   * @param models the model names, in the order to measure them
   * @param connections the connection counts, ascending
   * @param messageSizes the message sizes in bytes, ascending
   * @param inFlight the messages in flight on each connection
   * @param warmUp the load before each measurement
   * @param duration each measurement
   * @param connectTimeout how long opening the connections, and having each answered once, may take
   *     before the model is noted as unable to hold them
   * @param maxBytesInFlight cells with more bytes in flight (connections × size × in flight) are
   *     skipped
   */
  public record Plan(
      List<String> models,
      List<Integer> connections,
      List<Integer> messageSizes,
      int inFlight,
      Duration warmUp,
      Duration duration,
      Duration connectTimeout,
      long maxBytesInFlight) {

    /**
     * Checks and copies the plan.
     *
     * @throws IllegalArgumentException if a list is empty, a number is not positive or a duration
     *     is negative (warm-up) or not positive (the others)
     */
    public Plan {
      models = List.copyOf(models);
      connections = List.copyOf(connections).stream().sorted().distinct().toList();
      messageSizes = List.copyOf(messageSizes).stream().sorted().distinct().toList();
      if (models.isEmpty() || connections.isEmpty() || messageSizes.isEmpty()) {
        throw new IllegalArgumentException(
            "models, connections and messageSizes must not be empty");
      }
      if (connections.get(0) < 1 || messageSizes.get(0) < 1 || inFlight < 1) {
        throw new IllegalArgumentException("connections, sizes and inFlight must be positive");
      }
      if (warmUp.isNegative()
          || !duration.isPositive()
          || !connectTimeout.isPositive()
          || maxBytesInFlight < 1) {
        throw new IllegalArgumentException(
            "durations and the byte bound must be positive (the warm-up may be zero)");
      }
    }

    /**
     * The quick plan: 1, 100, 1 000 and 10 000 connections, 64-byte and 64 KiB messages, one in
     * flight, 0.25 s of warm-up and 0.75 s measured per cell, 3 s to connect; cells above 128 MiB
     * in flight (10 000 × 64 KiB) skipped. About ten seconds per model.
     */
    public static Plan quick(List<String> models) {
      return new Plan(
          models,
          List.of(1, 100, 1_000, 10_000),
          List.of(64, 64 * 1024),
          1,
          Duration.ofMillis(250),
          Duration.ofMillis(750),
          Duration.ofSeconds(3),
          128L << 20);
    }

    /** The full plan: as {@link #quick}, with 1 s of warm-up, 5 s measured and every cell run. */
    public static Plan full(List<String> models) {
      return new Plan(
          models,
          List.of(1, 100, 1_000, 10_000),
          List.of(64, 64 * 1024),
          1,
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Long.MAX_VALUE);
    }
  }

  /**
   * One measured (or unmeasurable) cell.
   *
   * @param result the measurement, empty when the cell could not be measured
   * @param note why the cell has no measurement, or empty
   * @param cpuMicrosPerRequest the server's CPU time per reply, NaN without a measurement
   */
  public record Cell(
      String model,
      int connections,
      int messageSize,
      Optional<EchoLoadGenerator.Result> result,
      String note,
      double cpuMicrosPerRequest) {

    static Cell unmeasured(String model, int connections, int messageSize, String note) {
      return new Cell(model, connections, messageSize, Optional.empty(), note, Double.NaN);
    }
  }

  /**
   * How much a model's server grew per connection.
   *
   * @param connections the connections open and each answered once when it was read, or fewer than
   *     asked when the model could not hold them (then no figure)
   * @param residentKibPerConnection the server's resident memory growth divided by the connections
   * @param note why there is no figure, or empty
   */
  public record Memory(
      String model, int connections, OptionalDouble residentKibPerConnection, String note) {}

  /** Every cell and memory figure of a run. */
  public record Report(Plan plan, List<Cell> cells, List<Memory> memory) {

    /** Copies the lists. */
    public Report {
      cells = List.copyOf(cells);
      memory = List.copyOf(memory);
    }

    /** The cells as a Markdown table, each beside {@value IoModelsComparison#REFERENCE}. */
    public String markdown() {
      return ComparisonTable.cells(cells, REFERENCE);
    }

    /** The memory figures as a Markdown table. */
    public String memoryMarkdown() {
      return ComparisonTable.memory(memory);
    }

    /** Requests/s and p99 latency against connections, one line per model, as SVG. */
    public String svg() {
      return ComparisonChart.svg(cells, plan.messageSizes());
    }
  }

  private IoModelsComparison() {}

  /**
   * The names of every model on the class path, {@value #REFERENCE} first.
   *
   * @throws java.util.ServiceConfigurationError if a registered model cannot be loaded
   */
  public static List<String> availableModels() {
    List<String> names = new ArrayList<>();
    for (EchoServerModel model : EchoServerModels.load().all()) {
      names.add(model.name());
    }
    if (names.remove(REFERENCE)) {
      names.add(0, REFERENCE);
    }
    return Collections.unmodifiableList(names);
  }

  /**
   * Runs {@code plan}, reporting each cell to {@code progress} as it is measured.
   *
   * @throws IllegalArgumentException if a model of the plan is not on the class path
   * @throws IOException if a server JVM cannot be started
   * @throws InterruptedException if interrupted; the server JVM in use is stopped first
   */
  public static Report run(Plan plan, Consumer<String> progress)
      throws IOException, InterruptedException {
    Objects.requireNonNull(progress, "progress");
    List<String> known = availableModels();
    for (String model : plan.models()) {
      if (!known.contains(model)) {
        throw new IllegalArgumentException(
            "no echo server model " + model + "; known: " + String.join(", ", known));
      }
    }
    List<Cell> cells = new ArrayList<>();
    List<Memory> memory = new ArrayList<>();
    for (String model : plan.models()) {
      measureModel(plan, model, progress, cells, memory);
    }
    return new Report(plan, cells, memory);
  }

  private static void measureModel(
      Plan plan, String model, Consumer<String> progress, List<Cell> cells, List<Memory> memory)
      throws IOException, InterruptedException {
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
                      } else {
                        progress.accept(line);
                      }
                    }))
            .build();
    try (WorkerProcess server = launcher.start(EchoServerWorker.class, model, "0")) {
      if (!awaitPort(port, server)) {
        for (int n : plan.connections()) {
          for (int size : plan.messageSizes()) {
            cells.add(Cell.unmeasured(model, n, size, "the server did not start"));
          }
        }
        memory.add(new Memory(model, 0, OptionalDouble.empty(), "the server did not start"));
        return;
      }
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port.join());
      Memory grown = measureMemory(plan, model, server, address);
      progress.accept(describe(grown));
      memory.add(grown);
      String cannotHold = "";
      for (int n : plan.connections()) {
        for (int size : plan.messageSizes()) {
          if (Thread.interrupted()) {
            throw new InterruptedException("comparison interrupted at " + model);
          }
          Cell cell;
          if (!cannotHold.isEmpty()) {
            cell = Cell.unmeasured(model, n, size, cannotHold);
          } else if ((double) n * size * plan.inFlight() > plan.maxBytesInFlight()) {
            cell = Cell.unmeasured(model, n, size, "skipped: " + mebibytes(n, size, plan));
          } else {
            cell = measureCell(plan, server, address, model, n, size);
            if (cell.result().isEmpty()
                && (cell.note().startsWith(HELD) || cell.note().startsWith(ANSWERED))) {
              cannotHold = "not run: " + cell.note();
            }
          }
          progress.accept(describe(cell));
          cells.add(cell);
        }
      }
    }
  }

  private static boolean awaitPort(CompletableFuture<Integer> port, WorkerProcess server)
      throws InterruptedException, IOException {
    try {
      // Whichever comes first: the port, or the end of a JVM that failed to start its server.
      CompletableFuture.anyOf(port, server.onExit())
          .get(SERVER_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the server JVM failed", e.getCause());
    } catch (TimeoutException e) {
      return false;
    }
    return port.isDone();
  }

  private static Memory measureMemory(
      Plan plan, String model, WorkerProcess server, InetSocketAddress address) throws IOException {
    int n = plan.connections().get(plan.connections().size() - 1);
    long before = ProcessMetrics.residentKib(server.pid());
    try (EchoLoadGenerator load =
        EchoLoadGenerator.open(address, n, plan.messageSizes().get(0), 1, plan.connectTimeout())) {
      if (load.connections() < n) {
        return new Memory(model, load.connections(), OptionalDouble.empty(), held(load, n, plan));
      }
      int answered = load.answerEach(plan.connectTimeout());
      if (answered < n) {
        return new Memory(model, answered, OptionalDouble.empty(), answered(answered, n, plan));
      }
      long after = ProcessMetrics.residentKib(server.pid());
      return new Memory(model, n, OptionalDouble.of(Math.max(0, after - before) / (double) n), "");
    } catch (IOException e) {
      return new Memory(model, 0, OptionalDouble.empty(), "failed: " + e.getMessage());
    }
  }

  private static Cell measureCell(
      Plan plan,
      WorkerProcess server,
      InetSocketAddress address,
      String model,
      int connections,
      int size) {
    try (EchoLoadGenerator load =
        EchoLoadGenerator.open(
            address, connections, size, plan.inFlight(), plan.connectTimeout())) {
      if (load.connections() < connections) {
        return Cell.unmeasured(model, connections, size, held(load, connections, plan));
      }
      int answered = load.answerEach(plan.connectTimeout());
      if (answered < connections) {
        return Cell.unmeasured(model, connections, size, answered(answered, connections, plan));
      }
      if (plan.warmUp().isPositive()) {
        load.run(plan.warmUp());
      }
      Duration cpuBefore = ProcessMetrics.cpuTime(server.pid());
      EchoLoadGenerator.Result result = load.run(plan.duration());
      Duration cpu = ProcessMetrics.cpuTime(server.pid()).minus(cpuBefore);
      double cpuPerRequest =
          result.requests() == 0 ? Double.NaN : cpu.toNanos() / 1e3 / result.requests();
      String note =
          result.servedAll()
              ? ""
              : "served " + result.connectionsServed() + " of " + connections + " in the window";
      return new Cell(model, connections, size, Optional.of(result), note, cpuPerRequest);
    } catch (IOException e) {
      return Cell.unmeasured(model, connections, size, "failed: " + e.getMessage());
    }
  }

  private static String held(EchoLoadGenerator load, int connections, Plan plan) {
    return HELD
        + load.connections()
        + " of "
        + connections
        + " connections after "
        + seconds(plan.connectTimeout());
  }

  private static String answered(int answered, int connections, Plan plan) {
    return ANSWERED
        + answered
        + " of "
        + connections
        + " at once in "
        + seconds(plan.connectTimeout());
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String mebibytes(int connections, int size, Plan plan) {
    return String.format(
        Locale.ROOT,
        "%.0f MiB in flight",
        (double) connections * size * plan.inFlight() / (1 << 20));
  }

  private static String describe(Memory memory) {
    return memory.residentKibPerConnection().isPresent()
        ? String.format(
            Locale.ROOT,
            "%-16s memory: %.1f KiB per connection at %d connections",
            memory.model(),
            memory.residentKibPerConnection().getAsDouble(),
            memory.connections())
        : String.format(Locale.ROOT, "%-16s memory: %s", memory.model(), memory.note());
  }

  private static String describe(Cell cell) {
    String size = ComparisonTable.size(cell.messageSize());
    return cell.result()
        .map(
            r ->
                String.format(
                    Locale.ROOT,
                    "%-16s %6d conn %6s: %9.0f req/s  p99 %7d µs %s",
                    cell.model(),
                    cell.connections(),
                    size,
                    r.requestsPerSecond(),
                    r.latencyMicros().getValueAtPercentile(99),
                    cell.note()))
        .orElseGet(
            () ->
                String.format(
                    Locale.ROOT,
                    "%-16s %6d conn %6s: %s",
                    cell.model(),
                    cell.connections(),
                    size,
                    cell.note()));
  }
}
