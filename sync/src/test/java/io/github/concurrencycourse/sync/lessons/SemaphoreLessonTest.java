package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SemaphoreLessonTest {

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void fiveThreadsAndNeverMoreHoldAPermitAtOnce() throws InterruptedException {
    // Each holder keeps its permit for 300 ms, ample time for five of the 23 to get in together.
    assertThat(SemaphoreLesson.runSeedThreads(NOWHERE, new Pace(0.1)))
        .isEqualTo(SemaphoreLesson.PERMITS);
  }

  @Test
  void neverMoreThanFiveUnderStress() throws InterruptedException {
    for (int run = 0; run < 30; run++) {
      assertThat(SemaphoreLesson.runSeedThreads(NOWHERE, new Pace(0.0001)))
          .isBetween(1, SemaphoreLesson.PERMITS);
    }
  }

  @Test
  void everyThreadGetsInOnce() throws Exception {
    String output = LessonRun.run(new SemaphoreLesson(), Pace.TEST);

    for (int i = 1; i <= SemaphoreLesson.THREADS; i++) {
      assertThat(output).containsOnlyOnce("Thread-" + i + " get sm (holders: ");
    }
    assertThat(output).doesNotContainPattern("holders: ([6-9]|\\d\\d)").contains("(permits: 5)");
  }
}
