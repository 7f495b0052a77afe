package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.threads.BlockingWorkload;
import io.github.concurrencycourse.threads.TaskTimeline;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    assertThat(task).isEqualTo(Duration.ofMillis(200));

    // The lesson's two runs, its executors each seen through a timeline: rounds are counted from
    // the tasks' starts and ends, so a loaded machine's slowness is not mistaken for rounds.
    TaskTimeline virtual = new TaskTimeline();
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      assertThat(workload.runOn(virtual.around(perTask))).isGreaterThanOrEqualTo(task);
    }
    TaskTimeline platform = new TaskTimeline();
    try (ExecutorService pool = Executors.newFixedThreadPool(VirtualThreadsLesson.PLATFORM_POOL)) {
      assertThat(workload.runOn(platform.around(pool)))
          .isGreaterThanOrEqualTo(task.multipliedBy(10));
    }

    // The pool cannot beat ten rounds: each of its 1000 threads runs ten tasks one after another;
    // and it uses its threads, so it needs fewer than three times as many.
    assertThat(platform.mostAtOnce()).isLessThanOrEqualTo(VirtualThreadsLesson.PLATFORM_POOL);
    assertThat(platform.rounds()).isBetween(10, 29);
    // Virtual threads run all 10 000 at once: far fewer than ten rounds, even on a busy machine
    // (a round is added only where starting the threads takes longer than a task).
    assertThat(virtual.rounds()).isLessThanOrEqualTo(3);
  }
}
