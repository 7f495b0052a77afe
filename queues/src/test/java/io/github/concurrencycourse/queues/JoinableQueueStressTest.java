package io.github.concurrencycourse.queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads, 100 000 operations each, on a small bounded joinable queue: no element is lost or
 * duplicated, the capacity is never exceeded, every blocked thread wakes up, and {@code join} never
 * returns while an element inserted before the call is unfinished.
 */
class JoinableQueueStressTest {

  private static final int PRODUCERS = 3;
  private static final int CONSUMERS = 3;
  private static final int JOINERS = 2;
  private static final int OPERATIONS_PER_THREAD = 100_000;
  private static final int CAPACITY = 16;
  private static final int TOTAL = PRODUCERS * OPERATIONS_PER_THREAD;
  private static final int END = -1;

  @Test
  @Timeout(60)
  void eightThreadsLoseNothingAndJoinNeverReturnsEarly() throws Exception {
    JoinableQueue<Integer> q = new JoinableQueue<>(CAPACITY);
    // Counted by the test itself, independently of the queue's own count.
    AtomicLong inserted = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    AtomicInteger capacityViolations = new AtomicInteger();
    AtomicInteger earlyJoins = new AtomicInteger();
    AtomicInteger successfulJoins = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    StressSupport producers = new StressSupport();
    StressSupport consumers = new StressSupport();
    StressSupport joiners = new StressSupport();

    for (int p = 0; p < PRODUCERS; p++) {
      int base = p * OPERATIONS_PER_THREAD;
      producers.start(
          "producer-" + p,
          () -> {
            for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
              int element = base + i;
              StressSupport.insertAnyWay(q, element);
              inserted.incrementAndGet();
              if (q.size() > CAPACITY) {
                capacityViolations.incrementAndGet();
              }
            }
          });
    }
    List<List<Integer>> consumed =
        consumers.startConsumers(
            CONSUMERS,
            q,
            END,
            e -> {
              if (e != END) {
                finished.incrementAndGet(); // before taskDone, so a joiner sees it
              }
              q.taskDone();
            });
    for (int j = 0; j < JOINERS; j++) {
      joiners.start(
          "joiner-" + j,
          () -> {
            while (producing.get()) {
              long insertedBefore = inserted.get();
              if (q.join(1, TimeUnit.MILLISECONDS)) {
                successfulJoins.incrementAndGet();
                if (finished.get() < insertedBefore) {
                  earlyJoins.incrementAndGet();
                }
              }
            }
            q.join(); // must wake up once the consumers finish the rest
            if (finished.get() < TOTAL) {
              earlyJoins.incrementAndGet();
            }
          });
    }

    producers.joinAll(30);
    producing.set(false);
    joiners.joinAll(30);
    assertThat(finished.get()).isEqualTo(TOTAL);
    for (int c = 0; c < CONSUMERS; c++) {
      q.put(END);
    }
    consumers.joinAll(30);

    StressSupport.assertConsumedEachOnce(
        TOTAL, consumed.stream().flatMap(List::stream).mapToInt(Integer::intValue));
    assertThat(capacityViolations.get()).as("times the size exceeded the capacity").isZero();
    assertThat(earlyJoins.get()).as("joins that returned with a task unfinished").isZero();
    assertThat(q.unfinishedTasks()).isZero();
    assertThat(q).isEmpty();
  }
}
