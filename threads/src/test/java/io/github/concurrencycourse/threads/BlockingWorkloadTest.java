package io.github.concurrencycourse.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's coroutine claim, counted: blocked virtual threads cost no carrier, so ten thousand of
 * them all block at once, in about one task's time, while a pool of platform threads runs them in
 * rounds of its size. The rounds are counted from when each task started and ended ({@link
 * TaskTimeline}), not read off a wall clock, so a busy machine that is slow to start threads does
 * not change the verdict; the wall times are checked only against their lower bounds, which load
 * cannot break.
 */
@Timeout(60)
class BlockingWorkloadTest {

  private static final Duration TASK = Duration.ofMillis(250);

  @Test
  void tenThousandBlockingTasksOnVirtualThreadsTakeAboutOneTasksTime() throws Exception {
    BlockingWorkload workload = new BlockingWorkload(10_000, TASK);
    TaskTimeline timeline = new TaskTimeline();
    Duration wall;
    Duration seenByTheCaller;
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      // Warm up, so that the measured run starts its threads at full speed.
      new BlockingWorkload(10_000, Duration.ofMillis(1)).runOn(perTask);

      long before = System.nanoTime();
      wall = workload.runOn(timeline.around(perTask));
      seenByTheCaller = Duration.ofNanos(System.nanoTime() - before);
    }

    assertThat(wall).isGreaterThanOrEqualTo(TASK).isLessThanOrEqualTo(seenByTheCaller);
    assertThat(timeline.tasks()).isEqualTo(10_000);
    // One round when every task starts before the first one ends: starting 10 000 virtual threads
    // takes 20-150 ms on a loaded two-core machine, a task 250 ms. Fewer than four rounds means
    // some moment found more than 2 500 tasks blocked at once, on two carrier threads.
    assertThat(timeline.rounds()).isLessThan(4);
    assertThat(timeline.mostAtOnce()).isGreaterThan(2_500);
  }

  @Test
  void aPlatformPoolRunsTheSameTasksInRoundsOfItsSize() throws Exception {
    BlockingWorkload workload = new BlockingWorkload(10_000, TASK);
    int poolSize = 2_000;
    TaskTimeline timeline = new TaskTimeline();

    Duration wall;
    try (ExecutorService pool = Executors.newFixedThreadPool(poolSize)) {
      wall = workload.runOn(timeline.around(pool));
    }

    Duration rounds = workload.lowerBoundOn(poolSize);
    assertThat(rounds).isEqualTo(TASK.multipliedBy(5));
    assertThat(wall).isGreaterThanOrEqualTo(rounds);
    // Never more at once than the pool has threads, so at least five rounds; and it does use its
    // threads: fewer than four times five rounds, however slowly a loaded machine starts them.
    assertThat(timeline.mostAtOnce()).isLessThanOrEqualTo(poolSize);
    assertThat(timeline.rounds()).isBetween(5, 19);
  }

  @Test
  void theLowerBoundCountsAPartialRoundAsARound() {
    BlockingWorkload workload = new BlockingWorkload(10, Duration.ofMillis(100));

    assertThat(workload.lowerBoundOn(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(workload.lowerBoundOn(10)).isEqualTo(Duration.ofMillis(100));
    assertThat(workload.lowerBoundOn(1_000)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void rejectsAnEmptyOrNegativeWorkload() {
    assertThatThrownBy(() -> new BlockingWorkload(0, TASK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tasks");
    assertThatThrownBy(() -> new BlockingWorkload(1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blockFor");
    assertThatThrownBy(() -> new BlockingWorkload(1, TASK).lowerBoundOn(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
