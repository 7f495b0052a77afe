package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.memorymodel.lessons.LockFreeLesson.AbaOutcome;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LockFreeLessonTest {

  @Test
  void theRetryLoopLosesNoAddition() throws InterruptedException {
    LockFreeLesson.CasRace race = LockFreeLesson.casRace(300_000);

    assertThat(race.total()).isEqualTo(600_000).isEqualTo(race.expected());
    assertThat(race.failedSwaps()).isNotNegative();
  }

  @Test
  void theTreiberStackGivesBackEveryElementOnce() throws InterruptedException {
    LockFreeLesson.StackRace race = LockFreeLesson.stackRace(50_000);

    assertThat(race.popped()).isEqualTo(race.pushed()).isEqualTo(100_000);
    assertThat(race.distinct()).isEqualTo(100_000);
  }

  /** The interleaving is forced step by step, so the corruption is the same every time. */
  @RepeatedTest(5)
  void aRecyclingStackSuffersAba() throws InterruptedException {
    AbaOutcome outcome = LockFreeLesson.aba(new LockFreeLesson.RecyclingStack());

    assertThat(outcome.pausedPop()).containsExactly("A");
    assertThat(outcome.otherPops()).containsExactly("A", "B");
    assertThat(outcome.left()).containsExactly("B", "C");
  }

  @RepeatedTest(5)
  void aStampedHeadDetectsTheReusedNode() throws InterruptedException {
    AbaOutcome outcome = LockFreeLesson.aba(new LockFreeLesson.StampedRecyclingStack());

    assertThat(outcome.pausedPop()).containsExactly("X");
    assertThat(outcome.otherPops()).containsExactly("A", "B");
    assertThat(outcome.left()).containsExactly("C");
  }

  @Test
  void bothLayoutsCountEveryIncrement() throws InterruptedException {
    // timeIncrements throws if a counter lost an increment.
    assertThat(LockFreeLesson.timeIncrements(1, 1_000_000)).isPositive();
    assertThat(LockFreeLesson.timeIncrements(LockFreeLesson.PADDED_DISTANCE, 1_000_000))
        .isPositive();
  }

  @Test
  void theLessonReportsEachPart() throws Exception {
    String output = LessonRun.run(new LockFreeLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("total 2,000,000 of 2,000,000; [\\d,]+ compareAndSet calls failed")
        .contains("pushed 200,000 and popped 200,000 elements, 200,000 distinct")
        .contains("it popped [A], thread 2 popped [A, B]; the stack now holds [B, C]")
        .contains("it popped [X], thread 2 popped [A, B]; the stack now holds [C]")
        .containsPattern("adjacent slots \\d+ ms, 128 bytes apart \\d+ ms: [\\d.]+x slower");
    assertThat(List.of("AtomicReference:", "AtomicStampedReference:")).allMatch(output::contains);
  }
}
