package io.github.concurrencycourse.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UninterruptiblyTest {

  /** The interrupt comes before the release, so a wait that ended on it returns too early. */
  @Test
  void anInterruptDoesNotEndTheWaitAndIsKeptForAfterIt() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returnedBeforeRelease = new AtomicBoolean();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  waiting.countDown();
                  Uninterruptibly.await(release::await);
                  returnedBeforeRelease.set(release.getCount() > 0);
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                });
    waiting.await();
    waiter.interrupt();
    release.countDown();
    assertThat(waiter.join(Duration.ofSeconds(5))).isTrue();

    assertThat(returnedBeforeRelease).isFalse();
    assertThat(interruptedAfter).isTrue();
  }

  @Test
  void withoutAnInterruptTheStatusStaysClear() {
    CountDownLatch done = new CountDownLatch(0);

    Uninterruptibly.await(done::await);

    assertThat(Thread.interrupted()).isFalse();
  }
}
