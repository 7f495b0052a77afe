package io.github.concurrencycourse.iomodels.loadtest;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.concurrencycourse.common.launch.MessageChannel;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The load generator's child JVM for {@link IoModelsComparison}, started connected: it pins itself
 * to the CPU list of its one argument (empty: no pinning), then drives as many {@link
 * EchoLoadGenerator}s as it has CPUs, each on a thread of its own with its share of the
 * connections, and does what the parent's {@link Command}s say, answering each with one {@link
 * Reply}. It ends when the parent closes the channel.
 *
 * <p>A measurement also reports the CPU time this JVM spent in its window, so that a cell in which
 * the generator was the bottleneck can be told from one in which the server was.
 */
public final class LoadGeneratorWorker implements WorkerTask {

  /** What the parent asks for. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
  sealed interface Command permits Open, AnswerEach, Drain, Run, Disconnect {}

  /** Open {@code connections} to the server on {@code port} of the loopback address. */
  record Open(int port, int connections, long stallMillis, long limitMillis) implements Command {}

  /** {@link EchoLoadGenerator#answerEach} on every connection. */
  record AnswerEach(long stallMillis, long limitMillis) implements Command {}

  /** {@link EchoLoadGenerator#drain} on every connection. */
  record Drain(long stallMillis, long limitMillis) implements Command {}

  /** {@link EchoLoadGenerator#run} on every connection at once. */
  record Run(int messageSize, int inFlight, long durationNanos) implements Command {}

  /** Close every connection. */
  record Disconnect() implements Command {}

  /** What the generator answers. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
  sealed interface Reply permits Started, Count, Drained, Measured, Failed {}

  /**
   * Sent first: the generator's threads, and why it is not pinned as asked (empty if it is).
   *
   * @param threads the load threads, one per CPU of its set
   * @param unpinnedBecause empty, or why {@code taskset} failed
   */
  record Started(int threads, String unpinnedBecause) implements Reply {}

  /** The connections open, or answered, after an {@link Open}, {@link AnswerEach} or close. */
  record Count(int connections) implements Reply {}

  /** Whether nothing is in flight any more after a {@link Drain}. */
  record Drained(boolean done) implements Reply {}

  /**
   * A {@link Run}'s result, with the histogram in HdrHistogram's compressed form, in Base64.
   *
   * @param cpuNanos the CPU time the load threads used in the window
   * @param threads the load threads that shared it
   */
  record Measured(
      int connections,
      int messageSize,
      int inFlight,
      long requests,
      long elapsedNanos,
      String latency,
      long errors,
      long mismatches,
      int connectionsServed,
      long cpuNanos,
      int threads)
      implements Reply {

    static Measured of(EchoLoadGenerator.Result result, long cpuNanos, int threads) {
      Histogram histogram = result.latencyMicros();
      ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(encoded);
      return new Measured(
          result.connections(),
          result.load().messageSize(),
          result.load().inFlight(),
          result.requests(),
          result.elapsed().toNanos(),
          Base64.getEncoder().encodeToString(Arrays.copyOf(encoded.array(), length)),
          result.errors(),
          result.mismatches(),
          result.connectionsServed(),
          cpuNanos,
          threads);
    }

    EchoLoadGenerator.Result result() {
      Histogram histogram;
      try {
        histogram =
            Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(latency)), 0);
      } catch (DataFormatException e) {
        throw new IllegalArgumentException("a latency histogram that cannot be decoded", e);
      }
      return new EchoLoadGenerator.Result(
          connections,
          new EchoLoadGenerator.Load(messageSize, inFlight),
          requests,
          Duration.ofNanos(elapsedNanos),
          histogram,
          errors,
          mismatches,
          connectionsServed);
    }

    /** The share of its CPUs the generator used in the window, 1.0 when all were busy. */
    double busy() {
      return elapsedNanos <= 0 ? Double.NaN : cpuNanos / ((double) elapsedNanos * threads);
    }
  }

  /** A command failed: the message of its {@link IOException}. */
  record Failed(String message) implements Reply {}

  private final List<EchoLoadGenerator> generators = new ArrayList<>();
  private final ThreadMXBean threadCpu = ManagementFactory.getThreadMXBean();
  private ExecutorService threads;
  private int threadCount;

  @Override
  public void run(List<String> arguments) throws Exception {
    String cpuList = arguments.isEmpty() ? "" : arguments.get(0);
    String unpinnedBecause = "";
    if (!cpuList.isEmpty()) {
      try {
        CpuSets.pin(cpuList);
      } catch (IOException e) {
        unpinnedBecause = e.getMessage();
      }
    }
    threadCount = Runtime.getRuntime().availableProcessors();
    threads =
        Executors.newFixedThreadPool(threadCount, Thread.ofPlatform().name("load-", 1).factory());
    try (MessageChannel<Reply, Command> parent =
        MessageChannel.toParent(Reply.class, Command.class)) {
      parent.send(new Started(threadCount, unpinnedBecause));
      for (Optional<Command> command = parent.receive();
          command.isPresent();
          command = parent.receive()) {
        Reply reply;
        try {
          reply = execute(command.get());
        } catch (IOException e) {
          reply = new Failed(e.toString());
        }
        parent.send(reply);
      }
    } finally {
      closeAll();
      threads.shutdownNow();
    }
  }

  private Reply execute(Command command) throws IOException, InterruptedException {
    return switch (command) {
      case Open open -> open(open);
      case AnswerEach answer ->
          new Count(
              sum(
                  onEach(
                      g ->
                          g.answerEach(
                              Duration.ofMillis(answer.stallMillis()),
                              Duration.ofMillis(answer.limitMillis())))));
      case Drain drain ->
          new Drained(
              onEach(
                      g ->
                          g.drain(
                              Duration.ofMillis(drain.stallMillis()),
                              Duration.ofMillis(drain.limitMillis())))
                  .stream()
                  .allMatch(Boolean::booleanValue));
      case Run run -> run(run);
      case Disconnect ignored -> {
        closeAll();
        yield new Count(0);
      }
    };
  }

  private Reply open(Open open) throws IOException, InterruptedException {
    closeAll();
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), open.port());
    int parts = Math.min(threadCount, open.connections());
    List<Integer> shares = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      shares.add(open.connections() / parts + (i < open.connections() % parts ? 1 : 0));
    }
    List<Future<EchoLoadGenerator>> opening = new ArrayList<>();
    for (int share : shares) {
      opening.add(
          threads.submit(
              () ->
                  EchoLoadGenerator.open(
                      server,
                      share,
                      Duration.ofMillis(open.stallMillis()),
                      Duration.ofMillis(open.limitMillis()))));
    }
    IOException failure = null;
    for (Future<EchoLoadGenerator> future : opening) {
      try {
        generators.add(future.get());
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = asIoException(e.getCause());
        }
      }
    }
    if (failure != null) {
      closeAll();
      throw failure;
    }
    return new Count(sum(onEach(EchoLoadGenerator::connections)));
  }

  private Reply run(Run run) throws IOException, InterruptedException {
    EchoLoadGenerator.Load load = new EchoLoadGenerator.Load(run.messageSize(), run.inFlight());
    Duration duration = Duration.ofNanos(run.durationNanos());
    // Each load thread's own CPU clock, to the nanosecond: the process's CPU time, like /proc,
    // advances in ticks of 10 ms, too coarse for a window of a few hundred milliseconds.
    AtomicLong cpu = new AtomicLong();
    List<EchoLoadGenerator.Result> results =
        onEach(
            g -> {
              long before = threadCpu.getCurrentThreadCpuTime();
              try {
                return g.run(load, duration);
              } finally {
                cpu.addAndGet(threadCpu.getCurrentThreadCpuTime() - before);
              }
            });
    return Measured.of(merge(results, load), cpu.get(), threadCount);
  }

  private static EchoLoadGenerator.Result merge(
      List<EchoLoadGenerator.Result> results, EchoLoadGenerator.Load load) {
    Histogram latency = new Histogram(3);
    int connections = 0;
    long requests = 0;
    long errors = 0;
    long mismatches = 0;
    int served = 0;
    Duration elapsed = Duration.ZERO;
    for (EchoLoadGenerator.Result result : results) {
      latency.add(result.latencyMicros());
      connections += result.connections();
      requests += result.requests();
      errors += result.errors();
      mismatches += result.mismatches();
      served += result.connectionsServed();
      elapsed = elapsed.compareTo(result.elapsed()) < 0 ? result.elapsed() : elapsed;
    }
    return new EchoLoadGenerator.Result(
        connections, load, requests, elapsed, latency, errors, mismatches, served);
  }

  /** An operation of one generator on its own connections. */
  private interface Operation<T> {
    T apply(EchoLoadGenerator generator) throws IOException;
  }

  /** Runs {@code operation} on every generator at once, each on a thread of its own. */
  private <T> List<T> onEach(Operation<T> operation) throws IOException, InterruptedException {
    List<Future<T>> running = new ArrayList<>();
    for (EchoLoadGenerator generator : generators) {
      running.add(threads.submit(() -> operation.apply(generator)));
    }
    List<T> results = new ArrayList<>();
    IOException failure = null;
    for (Future<T> future : running) {
      try {
        results.add(future.get());
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = asIoException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return results;
  }

  private static int sum(List<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  private static IOException asIoException(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }

  private void closeAll() throws IOException {
    IOException failure = null;
    for (EchoLoadGenerator generator : generators) {
      try {
        generator.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    generators.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
