package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.memorymodel.lessons.AtomicityLesson.Counter;
import io.github.concurrencycourse.memorymodel.lessons.AtomicityLesson.Tally;
import io.github.concurrencycourse.memorymodel.lessons.AtomicityLesson.Word;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What must hold: the atomic counters and the lock never lose an increment, even with four threads;
 * the volatile counter never gains one; a volatile {@code long} is never torn. That the volatile
 * counter does lose updates is proven deterministically by {@code LostUpdateLincheckTest}, whatever
 * the scheduler does in this run.
 */
@Timeout(60)
class AtomicityLessonTest {

  @Test
  void atomicCountersAndTheLockNeverLoseAnIncrement() throws InterruptedException {
    List<Supplier<Counter>> exact =
        List.of(
            AtomicityLesson::atomicCount,
            AtomicityLesson::adderCount,
            AtomicityLesson::lockedCount);
    for (Supplier<Counter> counter : exact) {
      Tally tally = AtomicityLesson.race(counter.get(), 4, 200_000);

      assertThat(tally.total()).as(tally.counter()).isEqualTo(800_000);
      assertThat(tally.lost()).isZero();
    }
  }

  @Test
  void theVolatileCounterNeverCountsMoreThanWasAdded() throws InterruptedException {
    Tally tally = AtomicityLesson.race(AtomicityLesson.volatileCount(), 2, 500_000);

    assertThat(tally.total()).isBetween(1L, 1_000_000L);
  }

  @Test
  void aVolatileLongIsNeverTorn() throws InterruptedException {
    Map<Word, Long> seen = AtomicityLesson.volatileTearing(1 << 16);

    assertThat(seen).doesNotContainKey(Word.TORN);
    assertThat(seen.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1 << 16);
  }

  @Test
  void theLessonReportsEveryCounterAndBothWords() throws Exception {
    String output = LessonRun.run(new AtomicityLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("volatile long, count\\+\\+ +[\\d,]+ of 2,000,000 \\([\\d,]+ lost\\)")
        .containsPattern("AtomicLong.incrementAndGet\\(\\) +2,000,000 of 2,000,000 \\(0 lost\\)")
        .containsPattern("LongAdder.increment\\(\\) +2,000,000 of 2,000,000 \\(0 lost\\)")
        .containsPattern("synchronized count\\+\\+ +2,000,000 of 2,000,000 \\(0 lost\\)")
        .containsPattern("plain long: .* -> [\\d,]+ torn \\(JLS 17.7 allows it\\)")
        .containsPattern("volatile long: .* -> 0 torn \\(JLS 17.7 forbids it\\)");
  }
}
