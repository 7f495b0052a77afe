package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.pools.ProcessPool;
import io.github.concurrencycourse.pools.lessons.ProcessPoolLesson.TaskRun;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's task on a process pool shows the name and pid of several worker processes. */
class ProcessPoolSeedTasksTest {

  /**
   * Tasks of 200 to 600 ms: ten of them keep two workers busy for about two seconds, time enough
   * for the slower of two JVMs to start and take its share.
   */
  private static final Pace PACE = new Pace(0.2);

  @Test
  @Timeout(60)
  void eachTaskPrintsItsWorkersNameAndPidAndSeveralWorkersShareTheTasks() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    LessonRun run = new LessonRun(PACE);
    List<TaskRun> runs;
    try (ProcessPool pool =
        ProcessPool.builder()
            .workers(2)
            .launcher(
                WorkerLauncher.builder()
                    .output(WorkerOutput.prefixedLines(run.context().out()::println))
                    .build())
            .build()) {
      runs = ProcessPoolLesson.seedTasks(pool, PACE, new Random(42));
    }

    assertThat(runs).hasSize(ProcessPoolLesson.SEED_TASKS);
    long self = ProcessHandle.current().pid();
    assertThat(runs).extracting(TaskRun::pid).doesNotContain(self);
    assertThat(runs.stream().map(TaskRun::pid).distinct()).hasSizeGreaterThanOrEqualTo(2);
    for (TaskRun task : runs) {
      assertThat(task.name()).matches("process-pool-\\d+-worker-[12]");
      assertThat(run.lines())
          .contains(
              "["
                  + task.name()
                  + "] name:["
                  + task.name()
                  + "],pid:["
                  + task.pid()
                  + "] is running");
    }

    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      assertThat(descendants.filter(ProcessHandle::isAlive)).isEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(before.startedSince()).isEmpty());
  }
}
