package io.github.concurrencycourse.bench.memorymodel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads, each incrementing a counter of its own: slots next to each other in one array (one
 * cache line, which the two cores take from each other on every write) against slots 16 longs, 128
 * bytes, apart (padded past the line and its prefetched neighbour). The measurement behind the
 * false-sharing part of the {@code memory-model.lock-free} lesson.
 *
 * <p>Each thread is the only writer of its slot, so an opaque read and write are enough and keep
 * every store in the loop. The score is increments per microsecond of both threads. Run:
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar FalseSharingBenchmark -wi 2 -i 3 -w 1s -r 1s -f 1
 * </pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FalseSharingBenchmark {

  /** 1: adjacent slots; 16: padded. */
  @Param({"1", "16"})
  public int slotsApart;

  private AtomicLongArray slots;

  @Setup(Level.Iteration)
  public void newSlots() {
    slots = new AtomicLongArray(2 * 16 + 1);
  }

  @Benchmark
  @Group("pair")
  public void first() {
    slots.setOpaque(0, slots.getOpaque(0) + 1);
  }

  @Benchmark
  @Group("pair")
  public void second() {
    slots.setOpaque(slotsApart, slots.getOpaque(slotsApart) + 1);
  }
}
