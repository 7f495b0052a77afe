package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MutexLessonTest {

  @Test
  void withoutALockUpdatesAreLost() throws InterruptedException {
    int n = MutexLesson.runSeedTask(new MutexLesson.Unsafe(), Pace.TEST);

    // Forbidden for a correct countdown, and certain here: 100 threads read n together.
    assertThat(n).isPositive();
  }

  @Test
  void everySafeFormReachesExactlyZeroAtTheLessonsPace() throws InterruptedException {
    for (Supplier<MutexLesson.Countdown> form : safeForms()) {
      assertThat(MutexLesson.runSeedTask(form.get(), Pace.TEST)).as(form.get().name()).isZero();
    }
  }

  @Test
  void everySafeFormReachesExactlyZeroUnderStress() throws InterruptedException {
    // Pace 0: no window at all, so the threads hammer the lock as fast as they can.
    for (Supplier<MutexLesson.Countdown> form : safeForms()) {
      for (int run = 0; run < 20; run++) {
        assertThat(MutexLesson.runSeedTask(form.get(), new Pace(0)))
            .as(form.get().name() + ", run " + run)
            .isZero();
      }
    }
  }

  @Test
  void theLessonPrintsTheBrokenFormThenTheThreeFixedOnes() throws Exception {
    String output = LessonRun.run(new MutexLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("unsafe \\(no lock\\) +main +[1-9]\\d* .*updates lost")
        .containsPattern("synchronized +main +0 ")
        .containsPattern("ReentrantLock try/finally +main +0 ")
        .containsPattern("AtomicInteger compareAndSet +main +0 .*compareAndSet retries");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("mutex-"));
  }

  private static List<Supplier<MutexLesson.Countdown>> safeForms() {
    return List.of(MutexLesson.Synchronized::new, MutexLesson.Locked::new, MutexLesson.Atomic::new);
  }
}
