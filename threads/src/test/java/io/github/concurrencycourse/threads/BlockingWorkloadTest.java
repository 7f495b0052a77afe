package io.github.concurrencycourse.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's coroutine claim in numbers: blocked virtual threads cost no carrier, so ten thousand
 * of them finish in about one task's time, while a pool of platform threads runs them in rounds.
 */
@Timeout(60)
class BlockingWorkloadTest {

  private static final Duration TASK = Duration.ofMillis(250);

  @Test
  void tenThousandBlockingTasksOnVirtualThreadsTakeAboutOneTasksTime() throws Exception {
    BlockingWorkload workload = new BlockingWorkload(10_000, TASK);

    Duration wall;
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      wall = workload.runOn(perTask);
    }

    assertThat(wall).isGreaterThanOrEqualTo(TASK);
    // Two carriers on a busy machine still start 10 000 threads well inside four task times;
    // running them in even two rounds would already take twice the task time plus start-up.
    assertThat(wall).isLessThan(TASK.multipliedBy(4));
  }

  @Test
  void aPlatformPoolRunsTheSameTasksInRoundsOfItsSize() throws Exception {
    BlockingWorkload workload = new BlockingWorkload(10_000, TASK);
    int poolSize = 2_000;

    Duration wall;
    try (ExecutorService pool = Executors.newFixedThreadPool(poolSize)) {
      wall = workload.runOn(pool);
    }

    Duration rounds = workload.lowerBoundOn(poolSize);
    assertThat(rounds).isEqualTo(TASK.multipliedBy(5));
    assertThat(wall).isGreaterThanOrEqualTo(rounds).isLessThan(rounds.multipliedBy(3));
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
