package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.threads.BlockingWorkload;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VirtualThreadsLessonTest {

  @Test
  void printsBothWallTimesAndTheirRatio() throws Exception {
    String output = LessonRun.run(new VirtualThreadsLesson(), Pace.TEST);

    assertThat(output)
        .contains("10000 tasks, each blocks for 20 ms")
        .containsPattern("virtual threads \\(one per task\\): +\\d+ ms")
        .containsPattern("platform pool of 1000 threads: +\\d+ ms \\(at least 200 ms: 10 rounds\\)")
        .containsPattern("ratio platform / virtual: \\d+\\.\\dx");
  }

  @Test
  void thePlatformPoolNeedsTenRoundsAndVirtualThreadsFarFewer() throws Exception {
    // A slower pace than the other tests, so that one task outweighs starting 10 000 threads.
    BlockingWorkload workload = VirtualThreadsLesson.workload(new Pace(0.2));
    Duration task = workload.blockFor();

    VirtualThreadsLesson.Comparison comparison = VirtualThreadsLesson.compare(workload);

    assertThat(task).isEqualTo(Duration.ofMillis(200));
    assertThat(comparison.virtual()).isGreaterThanOrEqualTo(task);
    // The pool cannot beat ten rounds: each of its 1000 threads runs ten tasks one after another.
    assertThat(comparison.platform())
        .isGreaterThanOrEqualTo(task.multipliedBy(10))
        .isLessThan(task.multipliedBy(30));
    // Virtual threads run all 10 000 at once: far fewer than ten rounds, even on a busy machine.
    assertThat(comparison.ratio()).isGreaterThan(1.5);
  }
}
