package io.github.concurrencycourse.common.launch;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a worker's standard output and standard error go. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #inherit()}: the worker writes straight to this JVM's standard output and error, as
 *       a Python child does. Nothing is buffered or reordered by the parent.
 *   <li>{@link #prefixedLines(Consumer)}: the parent reads both streams line by line and hands
 *       every line, prefixed with {@code [name] }, to a sink.
 * </ul>
 */
public final class WorkerOutput {

  private static final WorkerOutput INHERIT = new WorkerOutput(null);

  private final Consumer<? super String> sink;

  private WorkerOutput(Consumer<? super String> sink) {
    this.sink = sink;
  }

  /** The worker shares this JVM's standard output and error. */
  public static WorkerOutput inherit() {
    return INHERIT;
  }

  /**
   * Every line the worker prints, on standard output or standard error, is passed to {@code sink}
   * as {@code "[" + name + "] " + line}, decoded as UTF-8 (the worker is started to encode it so).
   * Lines arrive whole and, per stream, in order; lines of the two streams interleave in no
   * guaranteed order. The sink is called from two reader threads per worker, possibly at the same
   * time, so it must be thread-safe ({@code PrintStream::println} and concurrent collections are).
   * A sink that throws loses that line only; reading goes on, so the worker never blocks on a full
   * pipe.
   */
  public static WorkerOutput prefixedLines(Consumer<? super String> sink) {
    return new WorkerOutput(Objects.requireNonNull(sink, "sink"));
  }

  /** The sink, or empty when the output is inherited. */
  Optional<Consumer<? super String>> sink() {
    return Optional.ofNullable(sink);
  }

  @Override
  public String toString() {
    return sink == null ? "WorkerOutput[inherit]" : "WorkerOutput[prefixed lines]";
  }
}
