package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReadWriteLessonTest {

  @Test
  void withoutALockReadersSeeTheBoardHalfWritten() throws InterruptedException {
    ReadWriteLesson.Outcome outcome =
        ReadWriteLesson.race(new ReadWriteLesson.Unguarded(), Pace.TEST);

    assertThat(outcome.inconsistentReads()).isPositive();
  }

  @Test
  void readersShareTheReadLockAndNeverMeetTheWriter() throws InterruptedException {
    ReadWriteLesson.Outcome outcome =
        ReadWriteLesson.race(new ReadWriteLesson.ReadWriteLocked(), Pace.TEST);

    assertThat(outcome.reads()).isPositive();
    assertThat(outcome.inconsistentReads()).isZero();
    assertThat(outcome.overlapsWithWrites()).isZero();
    assertThat(outcome.mostReadersInside()).isGreaterThan(1);
  }

  @Test
  void optimisticReadsAreUsedOnlyWhenTheyValidate() throws InterruptedException {
    ReadWriteLesson.Stamped board = new ReadWriteLesson.Stamped();

    ReadWriteLesson.Outcome outcome = ReadWriteLesson.race(board, Pace.TEST);

    assertThat(outcome.inconsistentReads()).isZero();
    assertThat(board.optimisticReads.get()).isPositive();
    assertThat(board.optimisticReads.get() + board.fallbacks.get()).isEqualTo(outcome.reads());
  }

  @Test
  void theLessonComparesTheThreeBoards() throws Exception {
    String output = LessonRun.run(new ReadWriteLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("no lock +\\d+ reads, +[1-9]\\d* with a wrong sum")
        .containsPattern("ReentrantReadWriteLock +\\d+ reads, +0 with a wrong sum")
        .containsPattern("StampedLock optimistic read +\\d+ reads, +0 with a wrong sum")
        .containsPattern("optimistic reads that validated: [1-9]\\d*");
  }
}
