package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ForkJoinLessonTest {

  @Test
  @Timeout(30)
  void everySumIsRightAndTheRecursionOnAPlainPoolStarves() throws Exception {
    LessonRun output = new LessonRun(new Pace(0.02));
    new ForkJoinLesson().run(output.context());
    List<String> sums =
        output.lines().stream()
            .filter(l -> l.contains("(median of"))
            .map(l -> l.replaceAll(".* (\\d+) +\\(median of.*", "$1"))
            .toList();
    assertThat(sums).hasSize(3).containsOnly("2000001000000");
    assertThat(output.text())
        .contains("recursion on a plain pool of 2: stuck (no result after 200 ms)");
  }

  @Test
  @Timeout(30)
  void aPlainPoolStarvesEvenWithAllTheTimeInTheWorldButAShallowTreeFinishes()
      throws InterruptedException {
    long[] deep = LongStream.rangeClosed(1, 100_000).toArray();
    // Two workers, three levels of waiting tasks: every worker waits for a queued task.
    assertThat(ForkJoinLesson.recurseOnPlainPool(deep, Duration.ofSeconds(2))).startsWith("stuck");
    long[] leaf = LongStream.rangeClosed(1, ForkJoinLesson.THRESHOLD).toArray();
    assertThat(ForkJoinLesson.recurseOnPlainPool(leaf, Duration.ofSeconds(10)))
        .isEqualTo("finished: " + LongStream.of(leaf).sum());
  }
}
