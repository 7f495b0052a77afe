package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RLockLessonTest {

  @Test
  void everyThreadTakesTheReentrantLockTwiceAndNoTwoAreInsideTogether() throws Exception {
    String output = LessonRun.run(new RLockLesson(), Pace.TEST);

    for (int i = 1; i <= RLockLesson.THREADS; i++) {
      String name = "MyThread-" + i;
      assertThat(output)
          .contains("f1 中" + name + "拿到了A锁 (hold count 1)")
          .contains("f1 中" + name + "拿到B锁 (hold count 2)")
          .contains("f1 中" + name + "释放B锁 (hold count 1)")
          .contains("f1 中" + name + "释放A锁 (hold count 0)")
          .contains("f2 中" + name + "拿到了B锁 (hold count 1)")
          .contains("f2 中" + name + "拿到A锁 (hold count 2)");
    }
    assertThat(output)
        .contains(
            "all 10 threads finished; deepest hold count 2; at most 1 thread inside at a time")
        .contains("the second acquire never succeeds");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("MyThread-"));
  }

  @Test
  void theSameNestingOnANonReentrantLockNeverGetsTheSecondAcquire() throws InterruptedException {
    assertThat(
            RLockLesson.nestOnNonReentrantLock(
                new PrintStream(OutputStream.nullOutputStream()), Pace.TEST))
        .isFalse();
  }
}
