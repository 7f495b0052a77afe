package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.sync.DeadlockDetector;
import io.github.concurrencycourse.sync.DeadlockReport;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DeadlockLessonTest {

  // Each cure's bound is a few times the slowest of its runs measured on this course's two-core
  // machine under load (load average 10, both cores also kept busy by tools/under-load): a cure
  // that deadlocks or livelocks fails within it, not after the lesson's 30 s.

  /** One global order at pace 0.001: 2-7 ms a run, 106 ms at worst under load. */
  private static final Duration GLOBAL_ORDER_BOUND = Duration.ofSeconds(1);

  /** tryLock with back-off at pace 0.001: 5-60 ms a run, 180 ms at worst under load. */
  private static final Duration BACK_OFF_FAST_BOUND = Duration.ofSeconds(2);

  /** tryLock with back-off at the test pace: 100-800 ms, the random back-offs adding up. */
  private static final Duration BACK_OFF_BOUND = Duration.ofSeconds(5);

  /** One reentrant lock at the test pace: ten 2 ms sections in turn, 20-40 ms. */
  private static final Duration ONE_LOCK_BOUND = Duration.ofSeconds(1);

  @Test
  void theSeedsOppositeLockOrdersDeadlockAndTheDetectorReportsTheCycle() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeadlockReport report;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      report = DeadlockLesson.showDeadlock(out, Pace.TEST, new DeadlockDetector()).orElseThrow();
    }

    assertThat(report.cycles()).hasSize(1);
    List<DeadlockReport.Waiter> cycle = report.cycles().get(0);
    assertThat(cycle).hasSize(2).allMatch(w -> w.threadName().startsWith("MyThread-"));
    assertThat(cycle.get(0).lockWanted()).isEqualTo(cycle.get(1).locksHeld().get(0));
    assertThat(cycle.get(1).lockWanted()).isEqualTo(cycle.get(0).locksHeld().get(0));
    assertThat(cycle)
        .allSatisfy(
            w -> assertThat(w.locksHeld()).singleElement().asString().contains("ReentrantLock"));
    assertThat(report.blockedBehind()).allMatch(w -> w.threadName().startsWith("MyThread-"));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("deadlock! the detector found 1 deadlock cycle")
        .contains("all 10 threads ended");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("MyThread-"));
  }

  @Test
  void oneGlobalLockOrderNeverDeadlocks() throws InterruptedException {
    for (int run = 0; run < 30; run++) {
      DeadlockLesson.runToTheEnd(
          new DeadlockLesson.GlobalOrder(new Pace(0.001)), GLOBAL_ORDER_BOUND);
    }
  }

  @Test
  void tryLockWithBackOffNeverDeadlocks() throws InterruptedException {
    for (int run = 0; run < 10; run++) {
      DeadlockLesson.runToTheEnd(
          new DeadlockLesson.TryLockWithBackOff(new Pace(0.001)), BACK_OFF_FAST_BOUND);
    }
    DeadlockLesson.runToTheEnd(new DeadlockLesson.TryLockWithBackOff(Pace.TEST), BACK_OFF_BOUND);
  }

  @Test
  void theSeedsOneReentrantLockCureWorksBySerialisingEverySection() throws InterruptedException {
    DeadlockLesson.OneReentrantLock oneLock = new DeadlockLesson.OneReentrantLock(Pace.TEST);

    DeadlockLesson.runToTheEnd(oneLock, ONE_LOCK_BOUND);

    assertThat(oneLock.deepestHold()).isEqualTo(2);
    assertThat(oneLock.mostInside()).isEqualTo(1);
  }

  @Test
  void atTestPacesARoundGivesUpAfterSecondsAtTheSeedsPaceAfterThirtySeconds() {
    assertThat(DeadlockLesson.roundLimit(Pace.TEST)).isEqualTo(Duration.ofSeconds(5));
    assertThat(DeadlockLesson.roundLimit(Pace.SEED)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aCureThatNeverEndsFailsAtItsBoundAndLeavesNoThread() {
    CountDownLatch never = new CountDownLatch(1);
    DeadlockLesson.TwoSections stuck =
        new DeadlockLesson.TwoSections() {
          @Override
          public void f1(String name) throws InterruptedException {
            never.await();
          }

          @Override
          public void f2(String name) {}
        };

    assertThatThrownBy(() -> DeadlockLesson.runToTheEnd(stuck, GLOBAL_ORDER_BOUND))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("within PT1S");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("MyThread-"));
  }

  @Test
  void theLessonShowsTheDeadlockThenTheThreeCures() throws Exception {
    String output = LessonRun.run(new DeadlockLesson(), Pace.TEST);

    assertThat(output)
        .contains("deadlock! the detector found 1 deadlock cycle")
        .contains("-- cure 1: one global order")
        .contains("-- cure 2: tryLock with a timeout")
        .contains("-- cure 3, the seed's")
        .contains("hold count 2, and at most 1 thread was inside f1 or f2 at a time");
    assertThat(output.split("all 10 threads finished", -1)).hasSize(4);
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("MyThread-"));
  }
}
