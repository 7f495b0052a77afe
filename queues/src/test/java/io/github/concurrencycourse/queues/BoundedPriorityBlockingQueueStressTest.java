package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  private static final long TOTAL = (long) PRODUCERS * OPERATIONS_PER_PRODUCER;

  /** Lower priority than any element, so consumers see it only when the elements are gone. */
  private static final long END = Long.MAX_VALUE;

  @Test
  @Timeout(60)
  void eightThreadsLoseAndDuplicateNothing() throws Exception {
    BoundedPriorityBlockingQueue<Long> q = new BoundedPriorityBlockingQueue<>(CAPACITY);
    AtomicInteger capacityViolations = new AtomicInteger();
    StressSupport producers = new StressSupport();
    StressSupport consumers = new StressSupport();
    List<long[]> consumed = new ArrayList<>();
    int[] consumedCounts = new int[CONSUMERS];

    for (int p = 0; p < PRODUCERS; p++) {
      long base = (long) p * OPERATIONS_PER_PRODUCER;
      producers.start(
          "producer-" + p,
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < OPERATIONS_PER_PRODUCER; i++) {
              // A random priority in the high bits, the unique id in the low bits.
              long element = ((long) random.nextInt(64) << 32) | (base + i);
              switch (random.nextInt(3)) {
                case 0 -> q.put(element);
                // A refused offer falls back to put, so no producer spins on a full queue.
                case 1 -> {
                  if (!q.offer(element, 1, TimeUnit.MILLISECONDS)) {
                    q.put(element);
                  }
                }
                default -> {
                  if (!q.offer(element)) {
                    q.put(element);
                  }
                }
              }
              if (q.size() > CAPACITY || q.remainingCapacity() < 0) {
                capacityViolations.incrementAndGet();
              }
            }
          });
    }
    for (int c = 0; c < CONSUMERS; c++) {
      long[] mine = new long[(int) TOTAL];
      consumed.add(mine);
      int index = c;
      consumers.start(
          "consumer-" + c,
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int n = 0;
            List<Long> batch = new ArrayList<>();
            while (true) {
              batch.clear();
              switch (random.nextInt(4)) {
                case 0 -> batch.add(q.take());
                case 1 -> {
                  Long e = q.poll(1, TimeUnit.MILLISECONDS);
                  if (e != null) {
                    batch.add(e);
                  }
                }
                case 2 -> {
                  Long e = q.poll();
                  if (e != null) {
                    batch.add(e);
                  }
                }
                default -> q.drainTo(batch, 5);
              }
              boolean end = false;
              for (long e : batch) {
                if (e == END) {
                  if (end) {
                    q.put(END); // a drain took another consumer's marker: hand it back
                  }
                  end = true;
                } else {
                  mine[n++] = e;
                }
              }
              if (end) {
                consumedCounts[index] = n;
                return;
              }
            }
          });
    }

    producers.joinAll(30);
    for (int c = 0; c < CONSUMERS; c++) {
      q.put(END);
    }
    consumers.joinAll(30);

    boolean[] seen = new boolean[(int) TOTAL];
    long duplicates = 0;
    long count = 0;
    for (int c = 0; c < CONSUMERS; c++) {
      long[] mine = consumed.get(c);
      for (int i = 0; i < consumedCounts[c]; i++) {
        int id = (int) (mine[i] & 0xFFFF_FFFFL);
        if (seen[id]) {
          duplicates++;
        }
        seen[id] = true;
        count++;
      }
    }
    assertThat(duplicates).as("elements consumed twice").isZero();
    assertThat(count).as("elements consumed").isEqualTo(TOTAL);
    assertThat(capacityViolations.get()).as("times the size exceeded the capacity").isZero();
    assertThat(q).isEmpty();
  }
}
