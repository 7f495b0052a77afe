package io.github.concurrencycourse.common.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LessonThreadsTest {

  @Test
  @Timeout(30)
  void interruptsBlockedThreadsAndReturnsOnceAllHaveEnded() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(3);
    AtomicInteger interrupted = new AtomicInteger();
    List<Thread> threads =
        List.of(
            blocked(never, waiting, interrupted),
            blocked(never, waiting, interrupted),
            blocked(never, waiting, interrupted));
    waiting.await();

    LessonThreads.stopAll(threads);

    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(interrupted).hasValue(3);
  }

  @Test
  @Timeout(30)
  void anInterruptedCallerStillWaitsAndKeepsItsInterruptStatus() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    Thread thread = blocked(never, waiting, interrupted);
    waiting.await();

    Thread.currentThread().interrupt();
    LessonThreads.stopAll(List.of(thread));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(thread.isAlive()).isFalse();
    assertThat(interrupted).hasValue(1);
  }

  private static Thread blocked(
      CountDownLatch never, CountDownLatch waiting, AtomicInteger interrupted) {
    return Thread.ofPlatform()
        .start(
            () -> {
              waiting.countDown();
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
              }
            });
  }
}
