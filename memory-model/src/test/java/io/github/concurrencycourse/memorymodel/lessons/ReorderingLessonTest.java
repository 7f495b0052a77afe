package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.memorymodel.lessons.ReorderingLesson.Loads;
import io.github.concurrencycourse.memorymodel.lessons.ReorderingLesson.Seen;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What must hold, and only that: volatile fields never show {@code r1 = r2 = 0}, and a reader that
 * sees a happens-before signal always sees the data. Whether plain fields show the reordering on
 * this run is the hardware's and the JIT's business; the jcstress tests show that it happens.
 */
@Timeout(60)
class ReorderingLessonTest {

  private static final int SAMPLES = 1 << 17;

  private static final Set<Loads> ANY =
      Set.of(new Loads(0, 0), new Loads(0, 1), new Loads(1, 0), new Loads(1, 1));

  @Test
  void volatileFieldsNeverShowBothLoadsAtZero() throws InterruptedException {
    Map<Loads, Long> counts = ReorderingLesson.volatileStoreBuffering(SAMPLES);

    assertThat(counts).doesNotContainKey(Loads.BOTH_ZERO);
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(SAMPLES);
  }

  @Test
  void plainFieldsCountEverySampleOnce() throws InterruptedException {
    Map<Loads, Long> counts = ReorderingLesson.plainStoreBuffering(SAMPLES);

    assertThat(ANY).containsAll(counts.keySet());
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(SAMPLES);
  }

  @Test
  void everyHappensBeforeEdgeCarriesTheData() throws InterruptedException {
    for (Map<Seen, Long> seen :
        List.of(
            ReorderingLesson.monitor(SAMPLES),
            ReorderingLesson.volatileFlag(SAMPLES),
            ReorderingLesson.threadStart(50),
            ReorderingLesson.threadJoin(50),
            ReorderingLesson.queueHandOver(500),
            ReorderingLesson.latch(50))) {
      assertThat(seen).doesNotContainKey(Seen.SIGNAL_WITHOUT_DATA);
    }
  }

  @Test
  void theThreadAndQueueRulesSignalEveryRound() throws InterruptedException {
    assertThat(ReorderingLesson.threadStart(20))
        .containsExactly(Map.entry(Seen.SIGNAL_AND_DATA, 20L));
    assertThat(ReorderingLesson.threadJoin(20))
        .containsExactly(Map.entry(Seen.SIGNAL_AND_DATA, 20L));
    assertThat(ReorderingLesson.queueHandOver(20))
        .containsExactly(Map.entry(Seen.SIGNAL_AND_DATA, 20L));
    assertThat(ReorderingLesson.latch(20)).containsExactly(Map.entry(Seen.SIGNAL_AND_DATA, 20L));
  }

  @Test
  void theLessonReportsBothRacesAndEveryRule() throws Exception {
    String output = LessonRun.run(new ReorderingLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern(
            "plain fields: .* -> r1 = r2 = 0 seen [\\d,]+ times \\(the JMM allows it\\)")
        .containsPattern("volatile fields: .* -> r1 = r2 = 0 seen 0 times \\(the JMM forbids it\\)")
        .containsPattern(
            "monitor: unlock -> lock +[\\d,]+ samples: +[\\d,]+ signal and data, 0 signal")
        .containsPattern(
            "countDown\\(\\) -> await\\(\\) +200 samples: +200 signal and data, 0 signal");
  }
}
