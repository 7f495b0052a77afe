package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerOutput;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.pools.ProcessPool;
import io.github.concurrencycourse.pools.ProcessTask;
import io.github.concurrencycourse.pools.lessons.ProcessPoolLesson.TaskRun;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's task on a process pool shows the name and pid of several worker processes. Both
 * workers are running before the seed's tasks are submitted, so how they share the tasks does not
 * depend on how fast the second JVM happens to start.
 */
class ProcessPoolSeedTasksTest {

  /** Tasks of 200 to 600 ms: ten of them keep two idle workers busy for about two seconds. */
  private static final Pace PACE = new Pace(0.2);

  private static final int WORKERS = 2;

  @TempDir Path meetingPlace;

  @Test
  @Timeout(60)
  void eachTaskPrintsItsWorkersNameAndPidAndSeveralWorkersShareTheTasks() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    LessonRun run = new LessonRun(PACE);
    List<TaskRun> runs;
    try (ProcessPool pool =
        ProcessPool.builder()
            .workers(WORKERS)
            .launcher(
                WorkerLauncher.builder()
                    .output(WorkerOutput.prefixedLines(run.context().out()::println))
                    .build())
            .build()) {
      assertThat(bothWorkersRunning(pool)).hasSize(WORKERS);
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

  /**
   * One {@link Rendezvous} per worker: the first holds its worker until the other has started, so
   * the second must run in the other worker. Returns the pids that met.
   */
  private Set<Long> bothWorkersRunning(ProcessPool pool) throws Exception {
    List<CompletableFuture<Long>> meetings = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      meetings.add(pool.submit(Rendezvous.class, meetingPlace.toString()));
    }
    Set<Long> pids = new HashSet<>();
    for (CompletableFuture<Long> meeting : meetings) {
      pids.add(meeting.get());
    }
    return pids;
  }

  /**
   * Leaves its worker's pid in the directory its argument names, and returns that pid once {@value
   * #WORKERS} pids are there (or fails after a minute).
   */
  static final class Rendezvous implements ProcessTask<String, Long> {
    @Override
    public Long run(String directory) throws Exception {
      Path place = Path.of(directory);
      long pid = ProcessHandle.current().pid();
      Files.createFile(place.resolve(Long.toString(pid)));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (countEntries(place) < WORKERS) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the other worker never came to " + place);
        }
        Thread.sleep(10);
      }
      return pid;
    }

    private static long countEntries(Path place) throws IOException {
      try (Stream<Path> entries = Files.list(place)) {
        return entries.count();
      }
    }
  }
}
