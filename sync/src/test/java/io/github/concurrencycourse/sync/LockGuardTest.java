package io.github.concurrencycourse.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// Most holds here are there only to be closed, which javac's -Xlint:try reports as unused.
@SuppressWarnings("try")
@Timeout(30)
class LockGuardTest {

  private final ReentrantLock mutex = new ReentrantLock();
  private final LockGuard guard = new LockGuard(mutex);
  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (Thread thread : started) {
      thread.interrupt();
      thread.join();
    }
  }

  @Test
  void holdsTheLockInsideTheBlockAndReleasesItAtItsEnd() {
    try (LockGuard.Held held = guard.lock()) {
      assertThat(mutex.isHeldByCurrentThread()).isTrue();
      assertThat(held.isHeld()).isTrue();
    }
    assertThat(mutex.isLocked()).isFalse();
    assertThat(guard.guarded()).isSameAs(mutex);
  }

  @Test
  void describesTheLockItGuardsAndWhoHoldsIt() {
    assertThat(guard.toString()).isEqualTo("LockGuard[" + mutex + "]").contains("Unlocked");
    try (LockGuard.Held held = guard.lock()) {
      assertThat(guard.toString()).contains("Locked by thread " + Thread.currentThread().getName());
    }
  }

  @Test
  void anExceptionInsideTheBlockReleasesTheLockAndReachesTheCaller() {
    IllegalStateException thrown = new IllegalStateException("inside the block");

    assertThatThrownBy(
            () -> {
              try (LockGuard.Held held = guard.lock()) {
                throw thrown;
              }
            })
        .isSameAs(thrown);
    assertThat(mutex.isLocked()).isFalse();
  }

  @Test
  void aSecondCloseReleasesNothingMore() {
    mutex.lock();
    try {
      LockGuard.Held inner = guard.lock();
      assertThat(mutex.getHoldCount()).isEqualTo(2);

      inner.close();
      inner.close();

      assertThat(inner.isHeld()).isFalse();
      assertThat(mutex.getHoldCount()).isOne();
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void aHoldClosedByAnotherThreadIsRefusedAndStaysValid() throws InterruptedException {
    LockGuard.Held held = guard.lock();
    try {
      AtomicReference<Throwable> refused = new AtomicReference<>();
      Thread stranger = start(() -> held.close(), refused);
      stranger.join();

      assertThat(refused.get()).isInstanceOf(IllegalMonitorStateException.class);
      assertThat(held.isHeld()).isTrue();
      assertThat(mutex.isHeldByCurrentThread()).isTrue();
    } finally {
      held.close();
    }
    assertThat(mutex.isLocked()).isFalse();
  }

  @Test
  void keepsOutEveryOtherThreadWhileHeld() throws InterruptedException {
    int threads = 8;
    int rounds = 2_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] counter = {0};
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      start(
          () -> {
            go.await();
            for (int i = 0; i < rounds; i++) {
              try (LockGuard.Held held = guard.lockInterruptibly()) {
                if (inside.incrementAndGet() > 1) {
                  overlaps.incrementAndGet();
                }
                counter[0]++;
                inside.decrementAndGet();
              }
            }
          },
          failure);
    }
    go.countDown();
    for (Thread thread : started) {
      thread.join();
    }

    assertThat(failure.get()).isNull();
    assertThat(overlaps).hasValue(0);
    mutex.lock();
    try {
      assertThat(counter[0]).isEqualTo(threads * rounds);
    } finally {
      mutex.unlock();
    }
  }

  @Test
  void tryLockGivesUpAfterItsTimeoutAndSucceedsOnceTheLockIsFree() throws InterruptedException {
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread holder =
        start(
            () -> {
              try (LockGuard.Held held = guard.lock()) {
                taken.countDown();
                release.await();
              }
            },
            failure);
    taken.await();

    long start = System.nanoTime();
    Optional<LockGuard.Held> missed = guard.tryLock(Duration.ofMillis(100));
    assertThat(missed).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(guard.tryLock(Duration.ZERO)).isEmpty();

    release.countDown();
    holder.join();
    Optional<LockGuard.Held> got = guard.tryLock(Duration.ofSeconds(10));
    assertThat(got).isPresent();
    got.get().close();
    assertThat(mutex.isLocked()).isFalse();
    assertThat(failure.get()).isNull();
    assertThat(guard.tryLock(Duration.ofSeconds(Long.MAX_VALUE)))
        .hasValueSatisfying(LockGuard.Held::close);
  }

  @Test
  void aTimeoutBeyondTheNanosecondRangeWaitsForTheHolderAndANegativeOneDoesNot()
      throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Optional<LockGuard.Held>> pastTheRange = new AtomicReference<>();
    AtomicReference<Optional<LockGuard.Held>> belowTheRange = new AtomicReference<>();
    Thread waiter;
    mutex.lock();
    try {
      waiter =
          start(
              () -> {
                belowTheRange.set(guard.tryLock(Duration.ofSeconds(Long.MIN_VALUE)));
                Optional<LockGuard.Held> held = guard.tryLock(Duration.ofSeconds(Long.MAX_VALUE));
                pastTheRange.set(held);
                held.ifPresent(LockGuard.Held::close);
              },
              failure);
      await().atMost(Duration.ofSeconds(10)).until(() -> mutex.hasQueuedThread(waiter));
    } finally {
      mutex.unlock();
    }
    waiter.join();

    assertThat(failure.get()).isNull();
    assertThat(belowTheRange.get()).isEmpty();
    assertThat(pastTheRange.get()).isPresent();
  }

  @Test
  void anInterruptedThreadAcquiresNothingInterruptibly() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(guard::lockInterruptibly).isInstanceOf(InterruptedException.class);
      assertThat(mutex.isLocked()).isFalse();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void refusesANullLock() {
    assertThatThrownBy(() -> new LockGuard(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("lock");
  }

  /** Something a test thread does, which may throw. */
  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  private Thread start(Body body, AtomicReference<Throwable> failure) {
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    body.run();
                  } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                  }
                });
    started.add(thread);
    return thread;
  }
}
