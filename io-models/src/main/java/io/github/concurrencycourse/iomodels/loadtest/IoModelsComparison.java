package io.github.concurrencycourse.iomodels.loadtest;

import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModels;
import io.github.concurrencycourse.common.launch.ConnectedWorker;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Echo server models side by side under the same load: each model (found through {@link
 * EchoServerModels}, so every model on the class path, whichever module registered it) runs in its
 * own child JVM at its default settings, and is driven cell by cell (connections × message size) by
 * a load generator in another child JVM ({@link LoadGeneratorWorker}), with a load thread per CPU
 * of its set. Where Linux's {@code taskset} allows it, the generator and the server are pinned to
 * disjoint CPU sets ({@link CpuSets}), so that neither measures the other's share of the cores; the
 * {@linkplain Report#rig() report} says where they ran. This JVM only steers, over the one
 * parent–child channel of each. The server's CPU time per request and resident memory per
 * connection are read from {@code /proc}, over the server's whole process tree; the generator
 * reports its own CPU use, and a cell in which it was at least {@value #CLIENT_BOUND_PERCENT} %
 * busy is marked client-bound: there the figure is the generator's limit, not the server's.
 *
 * <p>Beside the models, {@value #CEILING} runs the {@link CeilingEchoServer}, the cheapest correct
 * server, to show what the rig allows at all.
 *
 * <p>For each model it goes from the most connections to the fewest. At each count it opens the
 * connections and has each answered once, then measures every message size on those same
 * connections (a warm-up run, a measured run, and a drain before the next size). Before the first
 * count, one connection warms the compilers up. Resident memory per connection is read at the first
 * count, after every connection was answered. A model that cannot hold a count (the one-client
 * blocking server, a full pool) gets a note for that count instead of a hang: every wait on a
 * server is bounded by the plan's stall and limit. Cells whose messages in flight would exceed the
 * plan's byte bound are skipped with a note.
 *
 * <p>Blocking: {@link #run} takes as long as the plan says (about a second per cell plus start-up
 * and connecting); it is interruptible between cells and leaves no child JVM behind when it returns
 * or throws.
 */
public final class IoModelsComparison {

  /** The model every other is compared with. */
  public static final String REFERENCE = "netty-nio";

  /** The name of the {@link CeilingEchoServer}'s row: the limit of the rig, not a model. */
  public static final String CEILING = "ceiling";

  /** The generator's CPU use, in percent of its CPU set, from which a cell is client-bound. */
  public static final int CLIENT_BOUND_PERCENT = 90;

  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What to measure.
   *
   * @param models the model names, in the order to measure them
   * @param connections the connection counts
   * @param messageSizes the message sizes in bytes
   * @param inFlight the messages in flight on each connection
   * @param warmUp the load before each measurement, on the same connections
   * @param duration each measurement
   * @param stall the longest wait for the server's next accepted connection or reply before it is
   *     noted as unable to hold a count
   * @param limit the longest wait for connecting a count, or for every connection's reply
   */
  public record Plan(
      List<String> models,
      List<Integer> connections,
      List<Integer> messageSizes,
      int inFlight,
      Duration warmUp,
      Duration duration,
      Duration stall,
      Duration limit) {

    /**
     * Checks and copies the plan; counts and sizes are sorted and made distinct.
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
          || !stall.isPositive()
          || !limit.isPositive()) {
        throw new IllegalArgumentException("durations must be positive (the warm-up may be zero)");
      }
    }

    /**
     * The quick plan, under two minutes on two cores: 1, 100 and 1 000 connections, 64-byte and 64
     * KiB messages, one in flight, 0.25 s of warm-up and 0.75 s measured per cell; a server may
     * stall 2 s and take 10 s to connect a count. Ten thousand connections are left to {@link
     * #full}: one round trip through all of them takes a good part of a quick window.
     */
    public static Plan quick(List<String> models) {
      return new Plan(
          models,
          List.of(1, 100, 1_000),
          SIZES,
          1,
          Duration.ofMillis(250),
          Duration.ofMillis(750),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10));
    }

    /**
     * The full plan: 1, 100, 1 000 and 10 000 connections, 64-byte and 64 KiB messages, one in
     * flight, 1 s of warm-up and 5 s measured, 5 s of stall and 60 s to connect a count, and every
     * cell run. About a minute per model.
     */
    public static Plan full(List<String> models) {
      return new Plan(
          models,
          List.of(1, 100, 1_000, 10_000),
          SIZES,
          1,
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(60));
    }
  }

  private static final List<Integer> SIZES = List.of(64, 64 * 1024);

  /**
   * One measured (or unmeasurable) cell.
   *
   * @param result the measurement, empty when the cell could not be measured
   * @param note why the cell has no measurement, or empty
   * @param cpuMicrosPerRequest the server's CPU time per reply, NaN without a measurement
   * @param clientBusy the share of its CPU set the load generator used in the window (1.0: all of
   *     it), NaN without a measurement
   */
  public record Cell(
      String model,
      int connections,
      int messageSize,
      Optional<EchoLoadGenerator.Result> result,
      String note,
      double cpuMicrosPerRequest,
      double clientBusy) {

    static Cell unmeasured(String model, int connections, int messageSize, String note) {
      return new Cell(
          model, connections, messageSize, Optional.empty(), note, Double.NaN, Double.NaN);
    }

    /**
     * Whether the load generator was at least {@value #CLIENT_BOUND_PERCENT} % busy: the server
     * might have answered more, so the figure is a lower bound of what it can do.
     */
    public boolean clientBound() {
      return clientBusy * 100 >= CLIENT_BOUND_PERCENT;
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

  /**
   * Every cell and memory figure of a run.
   *
   * @param rig where the load generator and the servers ran, and with how many load threads
   */
  public record Report(Plan plan, String rig, List<Cell> cells, List<Memory> memory) {

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
      return ComparisonChart.svg(cells, plan.messageSizes(), rig);
    }
  }

  private IoModelsComparison() {}

  /**
   * The names of every model on the class path, {@value #REFERENCE} first, then {@value #CEILING}.
   *
   * @throws java.util.ServiceConfigurationError if a registered model cannot be loaded
   */
  public static List<String> availableModels() {
    List<String> names = new ArrayList<>();
    for (EchoServerModel model : EchoServerModels.load().all()) {
      names.add(model.name());
    }
    names.add(0, CEILING);
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
    CpuSets cpus = CpuSets.split();
    List<Cell> cells = new ArrayList<>();
    List<Memory> memory = new ArrayList<>();
    Set<String> unpinned = new LinkedHashSet<>();
    String rig;
    try (RemoteLoadGenerator load = RemoteLoadGenerator.start(cpus, progress)) {
      if (!load.unpinnedBecause().isEmpty()) {
        unpinned.add("load generator not pinned: " + load.unpinnedBecause());
      }
      rig =
          cpus.describe()
              + "; "
              + load.threads()
              + (load.threads() == 1 ? " load thread" : " load threads");
      progress.accept(rig);
      for (String model : plan.models()) {
        measureModel(plan, model, cpus, load, progress, cells, memory, unpinned);
      }
    }
    for (String warning : unpinned) {
      rig += "; " + warning;
    }
    return new Report(plan, rig, cells, memory);
  }

  private static void measureModel(
      Plan plan,
      String model,
      CpuSets cpus,
      RemoteLoadGenerator load,
      Consumer<String> progress,
      List<Cell> cells,
      List<Memory> memory,
      Set<String> unpinned)
      throws IOException, InterruptedException {
    List<String> options =
        new ArrayList<>(
            List.of("-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    options.addAll(cpus.jvmOptions(cpus.serverList()));
    WorkerLauncher launcher =
        WorkerLauncher.builder()
            .name(model)
            .jvmOptions(options)
            .connectTimeout(SERVER_START_TIMEOUT)
            .output(WorkerOutput.prefixedLines(progress))
            .build();
    try (ConnectedWorker<Void, EchoServerWorker.Ready> worker =
        launcher.startConnected(
            EchoServerWorker.class,
            List.of(model, "0", cpus.serverList()),
            Void.class,
            EchoServerWorker.Ready.class)) {
      WorkerProcess server = worker.process();
      Optional<EchoServerWorker.Ready> ready = awaitReady(worker);
      if (ready.isEmpty()) {
        for (int n : plan.connections()) {
          for (int size : plan.messageSizes()) {
            cells.add(Cell.unmeasured(model, n, size, "the server did not start"));
          }
        }
        memory.add(new Memory(model, 0, OptionalDouble.empty(), "the server did not start"));
        return;
      }
      if (!ready.get().unpinnedBecause().isEmpty()) {
        unpinned.add("servers not pinned: " + ready.get().unpinnedBecause());
      }
      int port = ready.get().port();
      warmUpCompilers(plan, load, port, model, progress);
      List<Integer> counts = plan.connections().reversed();
      for (int i = 0; i < counts.size(); i++) {
        if (Thread.interrupted()) {
          throw new InterruptedException("comparison interrupted at " + model);
        }
        Count count =
            measureCount(plan, server, load, port, model, counts.get(i), i == 0, progress);
        cells.addAll(count.cells());
        count
            .memory()
            .ifPresent(
                grown -> {
                  progress.accept(describe(grown));
                  memory.add(grown);
                });
      }
    }
  }

  /**
   * Waits for the server JVM to say it listens; empty if it ended first (its output says why) or
   * did not listen within {@link #SERVER_START_TIMEOUT}.
   */
  private static Optional<EchoServerWorker.Ready> awaitReady(
      ConnectedWorker<Void, EchoServerWorker.Ready> worker)
      throws IOException, InterruptedException {
    try {
      return worker.channel().receive(SERVER_START_TIMEOUT);
    } catch (TimeoutException e) {
      return Optional.empty();
    }
  }

  /**
   * Runs each message size on one connection for twice the plan's warm-up, unmeasured, so that the
   * server's and the generator's hot paths are compiled before the first count is measured: a cold
   * JVM would otherwise make the largest count, measured first, look several times slower than it
   * is. One connection, because every model can serve one.
   */
  private static void warmUpCompilers(
      Plan plan, RemoteLoadGenerator load, int port, String model, Consumer<String> progress)
      throws InterruptedException {
    if (!plan.warmUp().isPositive()) {
      return;
    }
    try {
      if (load.open(port, 1, plan.stall(), plan.limit()) == 1) {
        for (int size : plan.messageSizes()) {
          load.run(
              new EchoLoadGenerator.Load(size, plan.inFlight()), plan.warmUp().multipliedBy(2));
          load.drain(plan.stall(), plan.limit());
        }
      }
      load.disconnect();
    } catch (IOException e) {
      progress.accept(model + ": warm-up failed, measuring anyway: " + e.getMessage());
    }
  }

  /** The cells of one connection count, and the memory figure when it was read there. */
  private record Count(List<Cell> cells, Optional<Memory> memory) {}

  /**
   * Opens {@code n} connections, has each answered, then measures every message size on them. On
   * the {@code first} count the resident memory per connection is read too.
   */
  private static Count measureCount(
      Plan plan,
      WorkerProcess server,
      RemoteLoadGenerator load,
      int port,
      String model,
      int n,
      boolean first,
      Consumer<String> progress)
      throws InterruptedException {
    List<Cell> cells = new ArrayList<>();
    Optional<Memory> memory = Optional.empty();
    String unmeasured = "";
    try {
      long residentBefore = ProcessMetrics.residentKib(server.pid());
      long started = System.nanoTime();
      int held = load.open(port, n, plan.stall(), plan.limit());
      try {
        if (held < n) {
          unmeasured =
              "held %d of %d connections, gave up after %s"
                  .formatted(held, n, secondsSince(started));
        } else {
          started = System.nanoTime();
          int answered = load.answerEach(plan.stall(), plan.limit());
          if (answered < n) {
            unmeasured =
                "answered %d of %d at once, gave up after %s"
                    .formatted(answered, n, secondsSince(started));
          } else if (first) {
            long grown = ProcessMetrics.residentKib(server.pid()) - residentBefore;
            memory =
                Optional.of(
                    new Memory(model, n, OptionalDouble.of(Math.max(0, grown) / (double) n), ""));
          }
        }
        for (int size : plan.messageSizes()) {
          Cell cell;
          if (!unmeasured.isEmpty()) {
            cell = Cell.unmeasured(model, n, size, unmeasured);
          } else {
            cell = measureCell(plan, server, load, model, n, size);
            if (!load.drain(plan.stall(), plan.limit())) {
              unmeasured = "not run: replies of the previous size still in flight";
            }
          }
          progress.accept(describe(cell));
          cells.add(cell);
        }
      } finally {
        load.disconnect();
      }
    } catch (IOException e) {
      unmeasured = "failed: " + e.getMessage();
      for (int size : plan.messageSizes().subList(cells.size(), plan.messageSizes().size())) {
        Cell cell = Cell.unmeasured(model, n, size, unmeasured);
        progress.accept(describe(cell));
        cells.add(cell);
      }
    }
    if (first && memory.isEmpty()) {
      memory = Optional.of(new Memory(model, n, OptionalDouble.empty(), unmeasured));
    }
    return new Count(cells, memory);
  }

  private static Cell measureCell(
      Plan plan, WorkerProcess server, RemoteLoadGenerator load, String model, int n, int size)
      throws IOException, InterruptedException {
    EchoLoadGenerator.Load messages = new EchoLoadGenerator.Load(size, plan.inFlight());
    if (plan.warmUp().isPositive()) {
      load.run(messages, plan.warmUp());
    }
    Duration cpuBefore = ProcessMetrics.cpuTime(server.pid());
    LoadGeneratorWorker.Measured measured = load.run(messages, plan.duration());
    Duration cpu = ProcessMetrics.cpuTime(server.pid()).minus(cpuBefore);
    EchoLoadGenerator.Result result = measured.result();
    double cpuPerRequest =
        result.requests() == 0 ? Double.NaN : cpu.toNanos() / 1e3 / result.requests();
    String note =
        result.servedAll()
            ? ""
            : "served " + result.connectionsServed() + " of " + n + " in the window";
    return new Cell(model, n, size, Optional.of(result), note, cpuPerRequest, measured.busy());
  }

  private static String secondsSince(long started) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9);
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
                    "%-16s %6d conn %6s: %9.0f req/s %7.1f MB/s  p99 %7d µs  client CPU %3.0f %%%s %s",
                    cell.model(),
                    cell.connections(),
                    size,
                    r.requestsPerSecond(),
                    r.megabytesPerSecond(),
                    r.latencyMicros().getValueAtPercentile(99),
                    cell.clientBusy() * 100,
                    cell.clientBound() ? " client-bound" : "",
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
