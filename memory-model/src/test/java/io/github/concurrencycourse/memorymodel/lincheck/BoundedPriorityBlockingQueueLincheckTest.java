package io.github.concurrencycourse.memorymodel.lincheck;

import io.github.concurrencycourse.queues.BoundedPriorityBlockingQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * {@link BoundedPriorityBlockingQueue} (queues): its operations that never wait are linearizable,
 * priority order and capacity included. Duplicate priorities come out in insertion order, which a
 * linearization must respect as well.
 */
@Param(name = "element", gen = IntGen.class, conf = "1:3")
public class BoundedPriorityBlockingQueueLincheckTest extends LinearizabilityTest {

  private final BoundedPriorityBlockingQueue<Integer> queue = new BoundedPriorityBlockingQueue<>(2);

  @Operation
  public boolean offer(@Param(name = "element") int element) {
    return queue.offer(element);
  }

  @Operation
  public Integer poll() {
    return queue.poll();
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
  public boolean contains(@Param(name = "element") int element) {
    return queue.contains(element);
  }
}
