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
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      // Warm up, so that the measured runs time the threads and not the JIT compiler.
      new BlockingWorkload(10_000, Duration.ofMillis(1)).runOn(perTask);

      Duration best = null;
      for (int run = 0; run < 3; run++) {
        Duration wall = workload.runOn(perTask);
        assertThat(wall).isGreaterThanOrEqualTo(TASK);
        best = best == null || wall.compareTo(best) < 0 ? wall : best;
      }

      // Even two rounds would take twice the task time plus starting 10 000 threads; on a loaded
      // two-core machine the best of three runs stays well inside four task times.
      assertThat(best).isLessThan(TASK.multipliedBy(4));
    }
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
    // Starting 2000 platform threads costs time of its own; four times the rounds is generous.
    assertThat(wall).isGreaterThanOrEqualTo(rounds).isLessThan(rounds.multipliedBy(4));
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
