package io.github.concurrencycourse.bench.queues;

import io.github.concurrencycourse.queues.BoundedPriorityBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
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
 * Producers hand random-priority elements to consumers through a priority queue: the JDK's
 * unbounded {@link PriorityBlockingQueue} against the course's {@link
 * BoundedPriorityBlockingQueue}.
 *
 * <p>The JDK queue is used as it is: it has no capacity, so its producers never wait, and when they
 * are ahead of the consumers it grows (its heap gets deeper, every operation slower) where the
 * bounded queue makes them wait. The score that matters is the {@code take} rate: elements
 * delivered per millisecond. Run with {@code -tg 4,4} for four producers and four consumers; {@link
 * QueueThroughputReport} runs both sizes and prints the ratio table.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PriorityQueueBenchmark {

  @Param({
    "PriorityBlockingQueue",
    "PriorityBlockingQueue+Semaphore",
    "BoundedPriorityBlockingQueue"
  })
  public String queue;

  @Param({"1024"})
  public int capacity;

  private BlockingQueue<Integer> q;
  private Semaphore room;
  private int produced;

  /** A fresh queue per iteration, so what one iteration left behind does not slow the next. */
  @Setup(Level.Iteration)
  public void newQueue() {
    room = queue.endsWith("+Semaphore") ? new Semaphore(capacity) : null;
    q =
        switch (queue) {
          case "PriorityBlockingQueue", "PriorityBlockingQueue+Semaphore" ->
              new PriorityBlockingQueue<>(capacity);
          case "BoundedPriorityBlockingQueue" -> new BoundedPriorityBlockingQueue<>(capacity);
          default -> throw new IllegalArgumentException("unknown queue " + queue);
        };
  }

  @Benchmark
  @Group("transfer")
  public boolean put(Control control) throws InterruptedException {
    return room == null
        ? QueueTransfer.put(q, produced++, control)
        : QueueTransfer.put(q, room, produced++, control);
  }

  @Benchmark
  @Group("transfer")
  public Integer take(Control control) throws InterruptedException {
    Integer element = QueueTransfer.take(q, control);
    if (element != null && room != null) {
      room.release();
    }
    return element;
  }
}
