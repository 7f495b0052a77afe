package io.github.concurrencycourse.pools.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import org.junit.jupiter.api.Test;

class PoolsLessonRegistryTest {

  @Test
  void registryFindsEveryLessonOfTheModule() {
    LessonRegistry registry = LessonRegistry.load();
    assertThat(registry.byModule().get("pools"))
        .extracting(Lesson::id)
        .containsExactlyInAnyOrder(
            "pools.thread-pool",
            "pools.map",
            "pools.callbacks",
            "pools.sync-async",
            "pools.backpressure",
            "pools.fork-join",
            "pools.process-pool");
  }
}
