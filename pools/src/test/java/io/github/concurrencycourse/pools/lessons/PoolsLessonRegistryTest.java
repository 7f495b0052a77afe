package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.testkit.ModuleLessons;
import org.junit.jupiter.api.Test;

class PoolsLessonRegistryTest {

  @Test
  void everyPoolsLessonIsRegisteredBeyondTheSeedOnlyBackpressureAndForkJoin() {
    assertThat(
            ModuleLessons.assertRegistered(
                "pools",
                "pools.thread-pool",
                "pools.process-pool",
                "pools.backpressure",
                "pools.fork-join",
                "pools.map",
                "pools.sync-async",
                "pools.callbacks"))
        .filteredOn(Lesson::beyondTheSeed)
        .extracting(Lesson::id)
        .containsExactly("pools.backpressure", "pools.fork-join");
  }
}
