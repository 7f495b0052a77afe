package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.pools.lessons.BackpressureLesson.Flood;
import io.github.concurrencycourse.pools.lessons.BackpressureLesson.Policy;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BackpressureLessonTest {

  private static final int TASKS = BackpressureLesson.TASKS;
  private static final int OVERFLOW =
      TASKS - BackpressureLesson.WORKERS - BackpressureLesson.QUEUE_CAPACITY;

  /**
   * Floods a pool whose workers are held still until the producer has submitted everything, so each
   * policy's outcome is exact: 2 tasks running, 4 queued, 14 with no room.
   */
  private static Flood floodWithWorkersHeld(Policy policy) throws InterruptedException {
    Thread producer = Thread.currentThread();
    CountDownLatch submitted = new CountDownLatch(1);
    return BackpressureLesson.flood(
        policy,
        () -> {
          if (Thread.currentThread() != producer) {
            submitted.await();
          }
        },
        submitted::countDown);
  }

  @Test
  @Timeout(20)
  void callerRunsBoundsTheQueueAndLosesNothing() throws InterruptedException {
    Flood unbounded = floodWithWorkersHeld(Policy.UNBOUNDED_QUEUE);
    Flood callerRuns = floodWithWorkersHeld(Policy.CALLER_RUNS);

    assertThat(unbounded.peakQueue()).isEqualTo(TASKS - BackpressureLesson.WORKERS);
    assertThat(callerRuns.peakQueue()).isEqualTo(BackpressureLesson.QUEUE_CAPACITY);
    assertThat(callerRuns.completed()).isEqualTo(TASKS);
    assertThat(callerRuns.ranByProducer()).isEqualTo(OVERFLOW);
    assertThat(callerRuns.rejected()).isZero();
    assertThat(callerRuns.discarded()).isZero();
  }

  @Test
  @Timeout(20)
  void abortThrowsAndDiscardDropsSilently() throws InterruptedException {
    Flood abort = floodWithWorkersHeld(Policy.ABORT);
    assertThat(abort.rejected()).isEqualTo(OVERFLOW);
    assertThat(abort.completed()).isEqualTo(TASKS - OVERFLOW);
    assertThat(abort.discarded()).isZero();

    for (Policy policy : List.of(Policy.DISCARD, Policy.DISCARD_OLDEST)) {
      Flood discard = floodWithWorkersHeld(policy);
      assertThat(discard.rejected()).as(policy.label).isZero();
      assertThat(discard.discarded()).as(policy.label).isEqualTo(OVERFLOW);
      assertThat(discard.peakQueue()).as(policy.label).isEqualTo(BackpressureLesson.QUEUE_CAPACITY);
      assertThat(discard.ranByProducer()).as(policy.label).isZero();
    }
  }

  @Test
  @Timeout(20)
  void theLessonsTableAccountsForEveryTask() throws Exception {
    LessonRun output = new LessonRun(new Pace(0.02));
    new BackpressureLesson().run(output.context());
    List<String[]> rows =
        output.lines().stream()
            .filter(l -> l.startsWith("| ") && !l.startsWith("| policy"))
            .map(l -> l.substring(2, l.length() - 2).split(" \\| ", -1))
            .toList();
    assertThat(rows)
        .extracting(r -> r[0])
        .containsExactly("unbounded queue", "abort", "caller-runs", "discard", "discard-oldest");
    for (String[] row : rows) {
      int completed = Integer.parseInt(row[1]);
      int rejected = Integer.parseInt(row[3]);
      int discarded = Integer.parseInt(row[4]);
      int peakQueue = Integer.parseInt(row[5]);
      assertThat(completed + rejected + discarded).as(row[0]).isEqualTo(TASKS);
      if (!row[0].equals("unbounded queue")) {
        assertThat(peakQueue).as(row[0]).isLessThanOrEqualTo(BackpressureLesson.QUEUE_CAPACITY);
      }
    }
    assertThat(rows.get(0)[1]).as("the unbounded queue completes everything").isEqualTo("20");
    assertThat(rows.get(2)[1]).as("caller-runs completes everything").isEqualTo("20");
  }
}
