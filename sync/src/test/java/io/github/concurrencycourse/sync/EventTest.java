package io.github.concurrencycourse.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventTest {

  private static final Duration LONG = Duration.ofHours(1);

  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (Thread thread : started) {
      thread.interrupt();
      thread.join();
    }
  }

  @Test
  void startsClearedAndFollowsSetAndClear() {
    Event event = new Event();
    assertThat(event.isSet()).isFalse();

    event.set();
    event.set();
    assertThat(event.isSet()).isTrue();
    assertThat(event.toString()).endsWith("[set]");

    event.clear();
    assertThat(event.isSet()).isFalse();
    assertThat(event.toString()).endsWith("[not set]");
  }

  @Test
  @Timeout(5)
  void waitingOnASetEventReturnsAtOnce() throws InterruptedException {
    Event event = new Event();
    event.set();

    event.await();
    assertThat(event.await(LONG)).isTrue();
    assertThat(event.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(event.await(-1, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTimedWaitOnAClearedEventReturnsFalseWhenTheTimeRunsOut() throws InterruptedException {
    Event event = new Event();

    long start = System.nanoTime();
    boolean set = event.await(Duration.ofMillis(50));

    assertThat(set).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(event.await(0, TimeUnit.SECONDS)).isFalse();
    assertThat(event.await(Duration.ofSeconds(-5))).isFalse();
  }

  @Test
  void oneSetReleasesEveryWaiterTimedOrNot() throws InterruptedException {
    Event event = new Event();
    AtomicInteger released = new AtomicInteger();
    for (int i = 0; i < 6; i++) {
      boolean timed = i % 2 == 0;
      start(
          () -> {
            if (timed ? event.await(LONG) : awaitUntimed(event)) {
              released.incrementAndGet();
            }
          });
    }
    awaitAllBlocked();

    event.set();

    joinAll();
    assertThat(released).hasValue(6);
  }

  @Test
  void waitersReleasedBySetReturnTrueEvenIfTheEventIsClearedAtOnce() throws InterruptedException {
    Event event = new Event();
    AtomicInteger released = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      start(
          () -> {
            if (event.await(LONG)) {
              released.incrementAndGet();
            }
          });
    }
    awaitAllBlocked();

    event.set();
    event.clear();

    joinAll();
    assertThat(released).hasValue(4);
    assertThat(event.isSet()).isFalse();
  }

  @Test
  void aWaiterThatStartsAfterClearWaitsForTheNextSet() throws InterruptedException {
    Event event = new Event();
    event.set();
    event.clear();

    assertThat(event.await(Duration.ofMillis(20))).isFalse();

    AtomicReference<Boolean> result = new AtomicReference<>();
    start(() -> result.set(event.await(LONG)));
    awaitAllBlocked();
    event.set();
    joinAll();
    assertThat(result).hasValue(true);
  }

  @Test
  void anInterruptedWaiterGetsInterruptedException() throws InterruptedException {
    Event event = new Event();
    CountDownLatch threw = new CountDownLatch(2);
    start(() -> expectInterrupt(event::await, threw));
    start(() -> expectInterrupt(() -> event.await(LONG), threw));
    awaitAllBlocked();

    started.forEach(Thread::interrupt);

    assertThat(threw.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(event.isSet()).isFalse();
  }

  @Test
  void aWaiterPassesOnlyAfterSetAndSeesWhatTheSetterWrote() throws InterruptedException {
    Event event = new Event();
    int[] written = new int[1];
    AtomicInteger seen = new AtomicInteger(-1);
    start(
        () -> {
          event.await();
          seen.set(written[0]);
        });
    awaitAllBlocked();

    written[0] = 42;
    event.set();

    joinAll();
    assertThat(seen).hasValue(42);
  }

  @Test
  void rejectsNullArguments() {
    Event event = new Event();
    assertThatThrownBy(() -> event.await(1, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> event.await(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  @Timeout(5)
  void aHugeTimeoutIsNotAnOverflow() throws InterruptedException {
    Event event = new Event();
    event.set();
    assertThat(event.await(Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
    event.clear();
    assertThat(event.await(Duration.ofSeconds(Long.MIN_VALUE))).isFalse();
  }

  @Test
  void aTimeoutBeyondTheNanosecondRangeWaitsForTheSet() throws InterruptedException {
    Event event = new Event();
    AtomicReference<Boolean> result = new AtomicReference<>();
    start(() -> result.set(event.await(Duration.ofSeconds(Long.MAX_VALUE))));
    awaitAllBlocked();

    event.set();
    joinAll();

    assertThat(result.get()).isTrue();
  }

  private interface Waiting {
    void run() throws InterruptedException;
  }

  private static boolean awaitUntimed(Event event) throws InterruptedException {
    event.await();
    return true;
  }

  private static void expectInterrupt(Waiting waiting, CountDownLatch threw) {
    try {
      waiting.run();
    } catch (InterruptedException expected) {
      threw.countDown();
    }
  }

  private void start(Waiting body) {
    started.add(
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    body.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
  }

  /**
   * Every started thread is parked on the event's condition (not on its lock, which a thread only
   * passes through), so a set now must be what releases it.
   */
  private void awaitAllBlocked() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> started.stream().allMatch(EventTest::parkedOnACondition));
  }

  private static boolean parkedOnACondition(Thread thread) {
    Object blocker = LockSupport.getBlocker(thread);
    return blocker instanceof Condition;
  }

  private void joinAll() throws InterruptedException {
    for (Thread thread : started) {
      assertThat(thread.join(Duration.ofSeconds(10))).as(thread + " ended").isTrue();
    }
  }
}
