package io.github.concurrencycourse.memorymodel.lincheck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.queues.JoinableQueue;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * {@link JoinableQueue} (queues): its queue operations are linearizable, for consumers that finish
 * every task they take. Its task count is not linearizable with them, by design: an insertion is
 * counted before its element is in the queue, so that no consumer can finish a task before it is
 * counted and {@code join()} never returns early.
 */
@Param(name = "element", gen = IntGen.class, conf = "1:4")
public class JoinableQueueLincheckTest extends LinearizabilityTest {

  /** Bounded, so that {@code offer} also fails and withdraws its count. */
  private final JoinableQueue<Integer> queue = new JoinableQueue<>(2);

  @Operation
  public boolean offer(@Param(name = "element") int element) {
    return queue.offer(element);
  }

  /** A consumer's whole step: retrieve, then finish the task. */
  @Operation
  public Integer pollAndFinish() {
    Integer element = queue.poll();
    if (element != null) {
      queue.taskDone();
    }
    return element;
  }

  @Operation
  public Integer peek() {
    return queue.peek();
  }

  @Operation
  public int size() {
    return queue.size();
  }

  @Operation
  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  @Test
  void theTaskCountCountsAnInsertionBeforeItsElementCanBeRetrieved() {
    assertThatThrownBy(
            () ->
                Lincheck.runConcurrentTest(
                    1_000,
                    () -> {
                      JoinableQueue<Integer> tasks = new JoinableQueue<>();
                      Thread producer = new Thread(() -> tasks.offer(1));
                      producer.start();
                      long counted = tasks.unfinishedTasks();
                      Integer retrieved = tasks.poll();
                      join(producer);
                      if (counted == 1 && retrieved == null) {
                        throw new AssertionError("counted 1 unfinished task, but none to retrieve");
                      }
                    }))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("counted 1 unfinished task, but none to retrieve");
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
