package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads, 100 000 operations each, on a queue small enough that producers and consumers
 * block all the time: no element is lost or duplicated, the capacity is never exceeded, and every
 * blocked thread wakes up (a lost signal leaves a thread stuck and fails the test).
 */
class BoundedPriorityBlockingQueueStressTest {

  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int OPERATIONS_PER_PRODUCER = 100_000;
  private static final int CAPACITY = 16;
  private static final int TOTAL = PRODUCERS * OPERATIONS_PER_PRODUCER;

  /** Lower priority than any element, so consumers see it only when the elements are gone. */
  private static final long END = Long.MAX_VALUE;

  @Test
  @Timeout(60)
  void eightThreadsLoseAndDuplicateNothing() throws Exception {
    BoundedPriorityBlockingQueue<Long> q = new BoundedPriorityBlockingQueue<>(CAPACITY);
    AtomicInteger capacityViolations = new AtomicInteger();
    StressSupport producers = new StressSupport();
    StressSupport consumers = new StressSupport();

    for (int p = 0; p < PRODUCERS; p++) {
      long base = (long) p * OPERATIONS_PER_PRODUCER;
      producers.start(
          "producer-" + p,
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < OPERATIONS_PER_PRODUCER; i++) {
              // A random priority in the high bits, the unique id in the low bits.
              long element = ((long) random.nextInt(64) << 32) | (base + i);
              StressSupport.insertAnyWay(q, element);
              if (q.size() > CAPACITY || q.remainingCapacity() < 0) {
                capacityViolations.incrementAndGet();
              }
            }
          });
    }
    List<List<Long>> consumed = consumers.startConsumers(CONSUMERS, q, END, e -> {});

    producers.joinAll(30);
    for (int c = 0; c < CONSUMERS; c++) {
      q.put(END);
    }
    consumers.joinAll(30);

    StressSupport.assertConsumedEachOnce(
        TOTAL, consumed.stream().flatMap(List::stream).mapToInt(e -> (int) (e & 0xFFFF_FFFFL)));
    assertThat(capacityViolations.get()).as("times the size exceeded the capacity").isZero();
    assertThat(q).isEmpty();
  }
}
