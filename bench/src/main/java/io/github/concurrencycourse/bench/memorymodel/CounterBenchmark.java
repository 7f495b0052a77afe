package io.github.concurrencycourse.bench.memorymodel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One shared counter incremented by 1 and by 2 threads: {@link AtomicLong} (one atomic add on one
 * cache line), {@link LongAdder} (threads that collide add to cells of their own) and {@code
 * synchronized} {@code count++}. The counter the {@code memory-model.atomicity} lesson races.
 *
 * <p>The score is increments per microsecond, all threads together. Run:
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar CounterBenchmark -wi 2 -i 3 -w 1s -r 1s -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CounterBenchmark {

  @Param({"AtomicLong", "LongAdder", "synchronized"})
  public String counter;

  private AtomicLong atomic;
  private LongAdder adder;
  private final Object lock = new Object();
  private long locked;

  /** A fresh counter per iteration, so one iteration's cells do not favour the next. */
  @Setup(Level.Iteration)
  public void newCounter() {
    atomic = new AtomicLong();
    adder = new LongAdder();
    synchronized (lock) {
      locked = 0;
    }
    if (!counter.equals("AtomicLong")
        && !counter.equals("LongAdder")
        && !counter.equals("synchronized")) {
      throw new IllegalArgumentException("unknown counter " + counter);
    }
  }

  @Benchmark
  @Threads(1)
  public long oneThread() {
    return increment();
  }

  @Benchmark
  @Threads(2)
  public long twoThreads() {
    return increment();
  }

  /** Increments; returns the new count where the counter tells it at no extra cost, else 0. */
  private long increment() {
    switch (counter) {
      case "AtomicLong" -> {
        return atomic.incrementAndGet();
      }
      case "LongAdder" -> {
        adder.increment();
        return 0;
      }
      default -> {
        synchronized (lock) {
          return ++locked;
        }
      }
    }
  }
}
