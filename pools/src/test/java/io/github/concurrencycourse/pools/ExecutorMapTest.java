package io.github.concurrencycourse.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ExecutorMapTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** An input that never ends, counting how many of its elements were read. */
  private static Iterable<Integer> endless(AtomicInteger read) {
    return () ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            return read.getAndIncrement();
          }
        };
  }

  @Test
  void resultsComeInInputOrderEvenWhenTasksFinishInReverse() {
    int n = 8;
    List<CountDownLatch> finished =
        IntStream.range(0, n).mapToObj(i -> new CountDownLatch(1)).toList();
    try (ExecutorMap<String> results =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              // Task i finishes only after task i + 1 has: completion order is n-1, ..., 0.
              if (i + 1 < n) {
                awaitQuietly(finished.get(i + 1));
              }
              finished.get(i).countDown();
              return "r" + i;
            },
            IntStream.range(0, n).boxed().toList(),
            n)) {
      List<String> out = new ArrayList<>();
      results.forEachRemaining(out::add);
      assertThat(out).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7");
    }
  }

  @Test
  void anEndlessInputNeverHasMoreThanMaxInFlightTasks() {
    int maxInFlight = 3;
    AtomicInteger read = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    try (ExecutorMap<Integer> results =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              LockSupport.parkNanos(50_000); // long enough for tasks to overlap
              running.decrementAndGet();
              return i * 2;
            },
            endless(read),
            maxInFlight)) {
      for (int consumed = 0; consumed < 500; consumed++) {
        assertThat(results.next()).isEqualTo(consumed * 2);
        assertThat(read.get()).isLessThanOrEqualTo(consumed + 1 + maxInFlight);
        assertThat(results.inFlight()).isLessThanOrEqualTo(maxInFlight);
      }
    }
    assertThat(mostRunning.get()).isBetween(1, maxInFlight);
  }

  @Test
  void nothingMoreIsSubmittedUntilAResultIsConsumed() {
    AtomicInteger read = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    try (ExecutorMap<Integer> results =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              done.incrementAndGet();
              return i;
            },
            endless(read),
            5)) {
      await().until(() -> done.get() == 5);
      assertThat(read.get()).as("only the first five inputs are read").isEqualTo(5);
      assertThat(results.inFlight()).isEqualTo(5);
      assertThat(results.next()).isZero();
      await().until(() -> done.get() == 6);
      assertThat(read.get()).isEqualTo(6);
    }
  }

  @Test
  void aTasksExceptionIsThrownAtItsPositionAndTheRestAreCancelled() {
    ConcurrentHashMap<Integer, Boolean> interrupted = new ConcurrentHashMap<>();
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch laterTasksStarted = new CountDownLatch(2);
    ExecutorMap<Integer> results =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              if (i == 3) {
                awaitQuietly(laterTasksStarted);
                throw new IllegalArgumentException("bad input " + i);
              }
              if (i > 3) {
                laterTasksStarted.countDown();
                try {
                  never.await();
                } catch (InterruptedException e) {
                  interrupted.put(i, true);
                }
              }
              return i;
            },
            List.of(0, 1, 2, 3, 4, 5),
            6);
    assertThat(results.next()).isZero();
    assertThat(results.next()).isEqualTo(1);
    assertThat(results.next()).isEqualTo(2);
    assertThatThrownBy(results::next)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad input 3");
    assertThat(results.hasNext()).isFalse();
    assertThat(results.inFlight()).isZero();
    await().until(() -> interrupted.keySet().containsAll(List.of(4, 5)));
  }

  @Test
  void closingCancelsTheTasksInFlightAndSubmitsNothingMore() {
    AtomicInteger read = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    Stream<Integer> stream =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              started.incrementAndGet();
              if (i >= 3) {
                try {
                  never.await();
                } catch (InterruptedException e) {
                  interrupted.incrementAndGet();
                }
              }
              return i;
            },
            endless(read),
            4)
            .stream();
    try (stream) {
      // Collected by hand: AssertJ closes a stream it is given, and the close is what is tested.
      List<Integer> firstThree = stream.limit(3).toList();
      assertThat(firstThree).containsExactly(0, 1, 2);
      await().until(() -> started.get() == 7);
    }
    // After three results: inputs 0..6 read, tasks 3..6 in flight and blocked until cancelled.
    await().until(() -> interrupted.get() == 4);
    assertThat(read.get()).isEqualTo(7);
    assertThat(started.get()).isEqualTo(7);
  }

  @Test
  void anInterruptedWaitClosesTheMapAndKeepsTheInterruptStatus() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ExecutorMap<Integer> results =
        ExecutorMap.map(
            pool,
            (Integer i) -> {
              awaitQuietly(never);
              return i;
            },
            List.of(1, 2),
            2);
    Thread.currentThread().interrupt();
    assertThatThrownBy(results::next)
        .isInstanceOf(CancellationException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(results.hasNext()).isFalse();
  }

  @Test
  void aRejectionClosesTheMapAndIsRethrown() {
    ExecutorService closedPool = Executors.newSingleThreadExecutor();
    closedPool.shutdown();
    assertThatThrownBy(() -> ExecutorMap.map(closedPool, (Integer i) -> i, List.of(1), 1))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void anInputThatThrowsClosesTheMap() {
    Iterable<Integer> brokenAfterTwo =
        () ->
            new Iterator<>() {
              int n;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Integer next() {
                if (n == 2) {
                  throw new IllegalStateException("input broke");
                }
                return n++;
              }
            };
    ExecutorMap<Integer> results = ExecutorMap.map(pool, (Integer i) -> i, brokenAfterTwo, 2);
    assertThatThrownBy(results::next).hasMessage("input broke");
    assertThat(results.hasNext()).isFalse();
  }

  @Test
  void emptyInputAndNullResults() {
    ExecutorMap<Object> none = ExecutorMap.map(pool, (Integer i) -> i, List.<Integer>of(), 3);
    assertThat(none.hasNext()).isFalse();
    assertThatThrownBy(none::next).isInstanceOf(java.util.NoSuchElementException.class);
    ExecutorMap<Object> nulls = ExecutorMap.map(pool, (Integer i) -> null, List.of(1, 2), 1);
    assertThat(nulls.next()).isNull();
    assertThat(nulls.next()).isNull();
    assertThat(nulls.hasNext()).isFalse();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> ExecutorMap.map(pool, (Integer i) -> i, List.of(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ExecutorMap.map(null, (Integer i) -> i, List.of(1), 1))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ExecutorMap.map(pool, null, List.of(1), 1))
        .isInstanceOf(NullPointerException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
