package io.github.concurrencycourse.common.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LessonThreadsTest {

  private final CountDownLatch never = new CountDownLatch(1);
  private final AtomicInteger interrupted = new AtomicInteger();

  @Test
  @Timeout(30)
  void interruptsBlockedThreadsAndReturnsOnceAllHaveEnded() throws InterruptedException {
    List<Thread> threads = startBlocked(3);

    LessonThreads.stopAll(threads);

    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(interrupted).hasValue(3);
  }

  @Test
  @Timeout(30)
  void anInterruptedCallerStillWaitsAndKeepsItsInterruptStatus() throws InterruptedException {
    List<Thread> threads = startBlocked(1);

    Thread.currentThread().interrupt();
    LessonThreads.stopAll(threads);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(interrupted).hasValue(1);
  }

  /** Starts threads that wait for ever, and returns once every one of them is waiting. */
  private List<Thread> startBlocked(int count) throws InterruptedException {
    CountDownLatch waiting = new CountDownLatch(count);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    waiting.countDown();
                    try {
                      never.await();
                    } catch (InterruptedException e) {
                      interrupted.incrementAndGet();
                    }
                  }));
    }
    waiting.await();
    return threads;
  }
}
