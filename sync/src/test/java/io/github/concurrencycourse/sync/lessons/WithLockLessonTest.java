package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WithLockLessonTest {

  /** Long enough that a free lock is always taken in time, even on a busy machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  @Test
  void theSeedsCountdownPrintsOneHundredDownToOneThenMainZero() throws Exception {
    LessonRun run = new LessonRun(Pace.TEST);

    new WithLockLesson().run(run.context());
    List<String> lines = run.lines();

    int first = indexOfLineStartingWith(lines, "-- with mutex:") + 1;
    assertThat(lines.subList(first, lines.indexOf("main 0")))
        .as("what the hundred threads print, in order")
        .isEqualTo(
            IntStream.iterate(100, n -> n > 0, n -> n - 1).mapToObj(Integer::toString).toList());
    assertThat(lines)
        .contains("printed 100 down to 1, one after another: true; main 0")
        .contains(
            "try-with-resources: the caller caught \"数据库断开 (the database went away) inside the"
                + " block\"; afterwards the lock is free, and another thread takes it at once")
        .anyMatch(
            l ->
                l.startsWith("try/finally: the caller caught")
                    && l.endsWith("the lock is free, and another thread takes it at once"))
        .anyMatch(
            l ->
                l.startsWith("lock(); body(); unlock(); without finally: the caller caught")
                    && l.endsWith(
                        "the lock is STILL HELD, and another thread gives up waiting for it"));
    assertThat(LessonRun.liveThreadNames())
        .noneMatch(n -> n.startsWith("mutex-") || n.equals("with-lock-other"));
  }

  @Test
  void bothFormsOfWithKeepTheCountdownExactUnderStress() throws InterruptedException {
    for (int run = 0; run < 10; run++) {
      WithLockLesson.WithGuard guarded = new WithLockLesson.WithGuard(n -> {});
      WithLockLesson.WithTryFinally plain = new WithLockLesson.WithTryFinally(n -> {});

      assertThat(MutexLesson.runSeedTask(guarded, new Pace(0))).as("guard, run %d", run).isZero();
      assertThat(MutexLesson.runSeedTask(plain, new Pace(0)))
          .as("try/finally, run %d", run)
          .isZero();
      assertThat(WithLockLesson.countsDownFromOneHundred(guarded.printed())).isTrue();
      assertThat(WithLockLesson.countsDownFromOneHundred(plain.printed())).isTrue();
    }
  }

  @Test
  void theCountdownCheckRejectsALostUpdate() {
    List<Integer> lost =
        new ArrayList<>(IntStream.iterate(100, n -> n > 0, n -> n - 1).boxed().toList());
    lost.set(1, 100);
    assertThat(WithLockLesson.countsDownFromOneHundred(lost)).isFalse();
  }

  @Test
  void anExceptionInsideWithOrTryFinallyLeavesTheLockFree() throws InterruptedException {
    for (WithLockLesson.AfterException after :
        List.of(
            WithLockLesson.throwInsideGuard(PATIENCE),
            WithLockLesson.throwInsideTryFinally(PATIENCE))) {
      assertThat(after.caught()).contains("inside the block");
      assertThat(after.stillLocked()).isFalse();
      assertThat(after.anotherThreadGotIt()).isTrue();
    }
  }

  @Test
  void anExceptionBetweenLockAndUnlockWithoutFinallyLeavesTheLockHeld()
      throws InterruptedException {
    WithLockLesson.AfterException after =
        WithLockLesson.throwWithoutFinally(Duration.ofMillis(100));

    assertThat(after.caught()).contains("inside the block");
    assertThat(after.stillLocked()).isTrue();
    assertThat(after.anotherThreadGotIt()).isFalse();
  }

  private static int indexOfLineStartingWith(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix);
  }
}
