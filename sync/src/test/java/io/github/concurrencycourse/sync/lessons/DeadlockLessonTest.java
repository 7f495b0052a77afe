package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.sync.DeadlockDetector;
import io.github.concurrencycourse.sync.DeadlockReport;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DeadlockLessonTest {

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
      DeadlockLesson.runToTheEnd(new DeadlockLesson.GlobalOrder(new Pace(0.001)));
    }
  }

  @Test
  void tryLockWithBackOffNeverDeadlocks() throws InterruptedException {
    for (int run = 0; run < 10; run++) {
      DeadlockLesson.runToTheEnd(new DeadlockLesson.TryLockWithBackOff(new Pace(0.001)));
    }
    DeadlockLesson.runToTheEnd(new DeadlockLesson.TryLockWithBackOff(Pace.TEST));
  }

  @Test
  void theSeedsOneReentrantLockCureWorksBySerialisingEverySection() throws InterruptedException {
    DeadlockLesson.OneReentrantLock oneLock = new DeadlockLesson.OneReentrantLock(Pace.TEST);

    DeadlockLesson.runToTheEnd(oneLock);

    assertThat(oneLock.deepestHold()).isEqualTo(2);
    assertThat(oneLock.mostInside()).isEqualTo(1);
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
