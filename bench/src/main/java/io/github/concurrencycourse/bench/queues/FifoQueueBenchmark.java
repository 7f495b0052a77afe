package io.github.concurrencycourse.bench.queues;

import io.github.concurrencycourse.queues.JoinableQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Control;

/**
 * Producers hand elements to consumers through a bounded FIFO queue: the JDK's {@link
 * ArrayBlockingQueue} against the course's {@link JoinableQueue} over the same kind of queue, whose
 * consumers also call {@code taskDone()} for every element, as its users must.
 *
 * <p>The group {@code transfer} has one producer and one consumer by default; run it with {@code
 * -tg 4,4} for four of each. The score that matters is the {@code take} rate: elements delivered
 * per millisecond. {@link QueueThroughputReport} runs both sizes and prints the ratio table.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FifoQueueBenchmark {

  @Param({"ArrayBlockingQueue", "JoinableQueue"})
  public String queue;

  @Param({"1024"})
  public int capacity;

  private BlockingQueue<Integer> q;
  private JoinableQueue<Integer> joinable;
  private int produced;

  /** A fresh queue per iteration, so what one iteration left behind does not slow the next. */
  @Setup(Level.Iteration)
  public void newQueue() {
    switch (queue) {
      case "ArrayBlockingQueue" -> {
        q = new ArrayBlockingQueue<>(capacity);
        joinable = null;
      }
      case "JoinableQueue" -> {
        joinable = new JoinableQueue<>(capacity);
        q = joinable;
      }
      default -> throw new IllegalArgumentException("unknown queue " + queue);
    }
  }

  @Benchmark
  @Group("transfer")
  public boolean put(Control control) throws InterruptedException {
    return QueueTransfer.put(q, produced++, control);
  }

  @Benchmark
  @Group("transfer")
  public Integer take(Control control) throws InterruptedException {
    Integer element = QueueTransfer.take(q, control);
    if (element != null && joinable != null) {
      joinable.taskDone();
    }
    return element;
  }
}
